#pragma once
/// Reading a model file's JSON with the path of every value, so that each error names the field
/// it is about ("model file: populations[1].size: expected an integer >= 1, got \"ten\"").
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "starling/types.hpp"

namespace starling::io {

/// Parses JSON text. Syntax errors and keys repeated within one object throw
/// `starling::invalid_argument` naming the line and column or the key's path.
nlohmann::json parse_json(const std::string& text);

/// Builds the message of a model-file error: "model file: <path>: <what>".
std::string model_file_error(const std::string& path, const std::string& what);

/// A JSON value of a model file and its path ("connections[0].synapse.weight"). Refers to the
/// document, which must outlive it. Every accessor throws `starling::invalid_argument` naming
/// the path, what was expected and what was found.
class json_node {
 public:
  json_node(const nlohmann::json& value, std::string path);

  /// The path of this value; empty for the document itself.
  const std::string& path() const { return path_; }

  /// Throws the error "<path>: <what>".
  [[noreturn]] void fail(const std::string& what) const;

  /// Throws the error "<path>: expected <what>, got <the value>".
  [[noreturn]] void expected(const std::string& what) const;

  /// Checks that this is an object whose keys are all in `allowed`.
  void only_keys(const std::vector<std::string>& allowed) const;

  /// The member `key` of this object; `what` describes it in the error when it is missing.
  json_node required(const char* key, const std::string& what) const;

  /// The member `key` of this object, if present.
  std::optional<json_node> optional(const char* key) const;

  /// The elements of this array, with paths "<path>[i]".
  std::vector<json_node> elements(const std::string& what) const;

  /// The members of this object in key order.
  std::vector<std::pair<std::string, json_node>> members(const std::string& what) const;

  bool is_string() const { return value_->is_string(); }
  bool is_object() const { return value_->is_object(); }
  /// A non-empty array whose first element is an array.
  bool is_array_of_arrays() const {
    return value_->is_array() && !value_->empty() && value_->front().is_array();
  }

  /// A non-empty string.
  std::string text() const;

  /// An integer >= min; whole numbers written as 10.0 are accepted.
  std::int64_t integer(std::int64_t min) const;

  /// An integer from 0 to 2^64 - 1.
  std::uint64_t unsigned_integer() const;

  /// A finite number.
  double number() const;

  /// A finite number > 0.
  double positive_number() const;

  bool boolean() const;

  /// A finite number, an array of finite numbers, or a distribution written as an object
  /// {"distribution": name, parameter: number, ...}. `positive` requires every number > 0; the
  /// simulator checks the distribution's name, its parameters and what it draws.
  value number_array_or_distribution(bool positive = false) const;

  /// A distribution object: `distribution` names it, every other key is a numeric parameter.
  distribution distribution_spec() const;

  /// A non-empty array of non-empty strings.
  std::vector<std::string> strings() const;

 private:
  std::string child_path(const std::string& key) const;

  const nlohmann::json* value_;
  std::string path_;
};

}  // namespace starling::io
