# Imported targets for Starling's dependencies: StarPU::starpu, hwloc::hwloc, MPI::MPI_CXX,
# CUDA::cudart, nlohmann_json::nlohmann_json, GTest, benchmark.
find_package(PkgConfig QUIET)

# StarPU: the CUDA-enabled build in STARLING_STARPU_PREFIX when present, else the system's.
set(_starpu_lib "${STARLING_STARPU_PREFIX}/lib/libstarpu-1.3.so")
if(EXISTS "${_starpu_lib}")
  set(STARPU_INCLUDE_DIRS "${STARLING_STARPU_PREFIX}/include/starpu/1.3")
  add_library(StarPU::starpu SHARED IMPORTED)
  set_target_properties(StarPU::starpu PROPERTIES IMPORTED_LOCATION "${_starpu_lib}")
  set(STARPU_FROM "${STARLING_STARPU_PREFIX}")
  set(STARPU_LIBRARY_FILE "${_starpu_lib}")
else()
  pkg_check_modules(STARPU REQUIRED IMPORTED_TARGET starpu-1.3)
  add_library(StarPU::starpu INTERFACE IMPORTED)
  target_link_libraries(StarPU::starpu INTERFACE PkgConfig::STARPU)
  set_target_properties(PkgConfig::STARPU PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "")
  set(STARPU_FROM "${STARPU_LIBDIR}")
  list(GET STARPU_LINK_LIBRARIES 0 STARPU_LIBRARY_FILE)
endif()
# StarPU's headers pull in CUDA's: includes of an imported target are system includes, which
# keeps their warnings out of ours.
set_target_properties(StarPU::starpu PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${STARPU_INCLUDE_DIRS}")
find_file(STARPU_CONFIG_HEADER starpu_config.h PATHS ${STARPU_INCLUDE_DIRS} NO_DEFAULT_PATH)
file(STRINGS "${STARPU_CONFIG_HEADER}" _starpu_cuda REGEX "^#define STARPU_USE_CUDA 1")
if(_starpu_cuda)
  set(STARPU_HAS_CUDA ON)
  find_package(CUDAToolkit REQUIRED)
  target_link_libraries(StarPU::starpu INTERFACE CUDA::cudart)
else()
  set(STARPU_HAS_CUDA OFF)
endif()
message(STATUS "StarPU 1.3 from ${STARPU_FROM} (CUDA: ${STARPU_HAS_CUDA})")

find_path(HWLOC_INCLUDE_DIR hwloc.h REQUIRED)
find_library(HWLOC_LIBRARY hwloc REQUIRED)
add_library(hwloc::hwloc UNKNOWN IMPORTED)
set_target_properties(hwloc::hwloc PROPERTIES IMPORTED_LOCATION "${HWLOC_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${HWLOC_INCLUDE_DIR}")

set(STARLING_HAVE_MPI 0)
if(STARLING_ENABLE_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)
  set(STARLING_HAVE_MPI 1)
endif()

# HDF5 (Debian's libhdf5-dev, serial): SONATA spike files and HDF5 state recordings. Without it
# (a GPU machine given only .deps/) those outputs and `starling analyze` refuse with a message.
set(STARLING_HAVE_HDF5 0)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(STARLING_HDF5 QUIET IMPORTED_TARGET hdf5)
  if(STARLING_HDF5_FOUND)
    add_library(hdf5::hdf5 ALIAS PkgConfig::STARLING_HDF5)
    set(STARLING_HAVE_HDF5 1)
  endif()
endif()
message(STATUS "HDF5: ${STARLING_HAVE_HDF5}")

find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  # A header-only copy (scripts/gpu_pack.sh puts one in .deps/include for machines without it).
  find_path(NLOHMANN_JSON_INCLUDE nlohmann/json.hpp HINTS "${PROJECT_SOURCE_DIR}/.deps/include" REQUIRED)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
                        INTERFACE_INCLUDE_DIRECTORIES "${NLOHMANN_JSON_INCLUDE}")
endif()

# CUDA: AUTO builds the CUDA codelets when nvcc is there and StarPU has CUDA workers.
set(STARLING_HAVE_CUDA 0)
if(NOT STARLING_ENABLE_CUDA STREQUAL "OFF")
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER AND STARPU_HAS_CUDA)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)
    endif()
    enable_language(CUDA)
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    find_package(CUDAToolkit REQUIRED)
    set(STARLING_HAVE_CUDA 1)
  elseif(STARLING_ENABLE_CUDA STREQUAL "ON")
    message(FATAL_ERROR "STARLING_ENABLE_CUDA=ON needs nvcc and a StarPU built with CUDA "
                        "(run scripts/install_deps.sh)")
  endif()
endif()
message(STATUS "Starling CUDA codelets: ${STARLING_HAVE_CUDA}")

# Bit-identical CPU and GPU results: no contraction of a*b+c into fma on either side.
set(STARLING_CUDA_FLAGS --fmad=false --expt-relaxed-constexpr)
add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-ffp-contract=off>)

function(starling_target_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${STARLING_WARNINGS}>
                                           $<$<COMPILE_LANGUAGE:CUDA>:${STARLING_CUDA_FLAGS}>)
endfunction()
