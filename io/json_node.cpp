#include "io/json_node.hpp"

#include <cmath>
#include <limits>
#include <set>

#include "starling/error.hpp"

namespace starling::io {

namespace {

using nlohmann::json;

/// The first characters of a value as JSON, for error messages.
std::string shown(const json& v) {
  constexpr std::size_t limit = 40;
  std::string s = v.dump();
  if (s.size() > limit) s = s.substr(0, limit) + "...";
  return s;
}

/// Arrays and objects nested deeper than this are refused (a model file needs a handful).
constexpr std::size_t max_json_depth = 64;

/// Where the parser is in the document, to name a repeated key by its path.
class key_tracker {
 public:
  bool operator()(int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        // Deeper documents are refused before they are built: reading and freeing them recurses.
        if (frames_.size() >= max_json_depth)
          throw invalid_argument(model_file_error(
              path(), "nested deeper than " + std::to_string(max_json_depth) + " levels"));
        count_element();
        frames_.push_back({event == json::parse_event_t::array_start, 0, {}, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case json::parse_event_t::key: {
        frame& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second)
          throw invalid_argument(model_file_error(path(), "key given twice in one object"));
        break;
      }
      case json::parse_event_t::value:
        count_element();
        break;
    }
    return true;
  }

 private:
  struct frame {
    bool array;
    std::size_t elements;
    std::string key;
    std::set<std::string> keys;
  };

  void count_element() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().elements;
  }

  std::string path() const {
    std::string p;
    for (const frame& f : frames_)
      p += f.array ? "[" + std::to_string(f.elements - 1) + "]" : (p.empty() ? "" : ".") + f.key;
    return p;
  }

  std::vector<frame> frames_;
};

}  // namespace

json parse_json(const std::string& text) {
  try {
    return json::parse(text, key_tracker{});
  } catch (const json::parse_error& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3, ...".
    std::string what = e.what();
    if (const auto end = what.find("] ");
        what.rfind("[json.exception", 0) == 0 && end != std::string::npos)
      what.erase(0, end + 2);
    throw invalid_argument(model_file_error("", what + " (byte " + std::to_string(e.byte) + ")"));
  }
}

std::string model_file_error(const std::string& path, const std::string& what) {
  return "model file: " + (path.empty() ? std::string() : path + ": ") + what;
}

json_node::json_node(const json& value, std::string path)
    : value_(&value), path_(std::move(path)) {}

void json_node::fail(const std::string& what) const {
  throw invalid_argument(model_file_error(path_, what));
}

void json_node::expected(const std::string& what) const {
  fail("expected " + what + ", got " + shown(*value_));
}

std::string json_node::child_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void json_node::only_keys(const std::vector<std::string>& allowed) const {
  if (!value_->is_object()) expected("an object");
  for (const auto& [key, v] : value_->items()) {
    bool known = false;
    std::string list;
    for (const std::string& a : allowed) {
      known = known || key == a;
      list += (list.empty() ? "" : ", ") + a;
    }
    if (!known)
      throw invalid_argument(
          model_file_error(child_path(key), "unknown key; expected one of " + list));
  }
}

json_node json_node::required(const char* key, const std::string& what) const {
  if (!value_->is_object()) expected("an object");
  const auto it = value_->find(key);
  if (it == value_->end())
    throw invalid_argument(model_file_error(child_path(key), "missing; expected " + what));
  return json_node(*it, child_path(key));
}

std::optional<json_node> json_node::optional(const char* key) const {
  if (!value_->is_object()) expected("an object");
  const auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return json_node(*it, child_path(key));
}

std::vector<json_node> json_node::elements(const std::string& what) const {
  if (!value_->is_array()) expected(what);
  std::vector<json_node> out;
  for (std::size_t i = 0; i < value_->size(); ++i)
    out.emplace_back((*value_)[i], path_ + "[" + std::to_string(i) + "]");
  return out;
}

std::vector<std::pair<std::string, json_node>> json_node::members(const std::string& what) const {
  if (!value_->is_object()) expected(what);
  std::vector<std::pair<std::string, json_node>> out;
  for (const auto& [key, v] : value_->items()) out.emplace_back(key, json_node(v, child_path(key)));
  return out;
}

std::string json_node::text() const {
  if (!value_->is_string() || value_->get_ref<const std::string&>().empty())
    expected("a non-empty string");
  return value_->get<std::string>();
}

std::int64_t json_node::integer(std::int64_t min) const {
  const std::string what = "an integer >= " + std::to_string(min);
  std::int64_t n = 0;
  if (value_->is_number_unsigned()) {
    const auto u = value_->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) expected(what);
    n = static_cast<std::int64_t>(u);
  } else if (value_->is_number_integer()) {
    n = value_->get<std::int64_t>();
  } else if (value_->is_number_float()) {
    const double x = value_->get<double>();
    if (!(std::fabs(x) < 9.0e18) || x != std::floor(x)) expected(what);
    n = static_cast<std::int64_t>(x);
  } else {
    expected(what);
  }
  if (n < min) expected(what);
  return n;
}

std::uint64_t json_node::unsigned_integer() const {
  if (value_->is_number_unsigned()) return value_->get<std::uint64_t>();
  return static_cast<std::uint64_t>(integer(0));
}

double json_node::number() const {
  if (!value_->is_number() || !std::isfinite(value_->get<double>())) expected("a number");
  return value_->get<double>();
}

double json_node::positive_number() const {
  if (!value_->is_number() || !(value_->get<double>() > 0.0) ||
      !std::isfinite(value_->get<double>()))
    expected("a positive number");
  return value_->get<double>();
}

bool json_node::boolean() const {
  if (!value_->is_boolean()) expected("true or false");
  return value_->get<bool>();
}

value json_node::number_array_or_distribution(bool positive) const {
  if (value_->is_object()) return distribution_spec();
  if (value_->is_array()) {
    std::vector<double> xs;
    xs.reserve(value_->size());
    for (const json_node& e : elements("an array"))
      xs.push_back(positive ? e.positive_number() : e.number());
    return xs;
  }
  if (!value_->is_number())
    expected(positive ? "a positive number, an array of them or a distribution object"
                      : "a number, an array of numbers or a distribution object");
  return positive ? positive_number() : number();
}

distribution json_node::distribution_spec() const {
  const json_node name = required("distribution", "a distribution name such as \"normal\"");
  if (!name.is_string()) name.expected("a distribution name such as \"normal\"");
  distribution d;
  d.name = name.text();
  for (const auto& [key, v] : members("a distribution object"))
    if (key != "distribution") d.params[key] = v.number();
  return d;
}

std::vector<std::string> json_node::strings() const {
  if (!value_->is_array() || value_->empty()) expected("a non-empty array of strings");
  std::vector<std::string> out;
  for (const json_node& e : elements("an array")) out.push_back(e.text());
  return out;
}

}  // namespace starling::io
