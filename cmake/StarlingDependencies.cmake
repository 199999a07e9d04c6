# Imported targets for Starling's dependencies: StarPU::starpu, hwloc::hwloc, MPI::MPI_CXX,
# CUDA::cudart, nlohmann_json::nlohmann_json, GTest, benchmark.
find_package(PkgConfig REQUIRED)

# StarPU: the CUDA-enabled build in STARLING_STARPU_PREFIX when present, else the system's.
if(EXISTS "${STARLING_STARPU_PREFIX}/lib/pkgconfig/starpu-1.3.pc")
  set(ENV{PKG_CONFIG_PATH} "${STARLING_STARPU_PREFIX}/lib/pkgconfig:$ENV{PKG_CONFIG_PATH}")
endif()
pkg_check_modules(STARPU REQUIRED IMPORTED_TARGET starpu-1.3)
add_library(StarPU::starpu INTERFACE IMPORTED)
target_link_libraries(StarPU::starpu INTERFACE PkgConfig::STARPU)
# StarPU's headers pull in CUDA's: a system include keeps their warnings out of ours.
get_target_property(_starpu_inc PkgConfig::STARPU INTERFACE_INCLUDE_DIRECTORIES)
set_target_properties(PkgConfig::STARPU PROPERTIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_starpu_inc}")
find_file(STARPU_CONFIG_HEADER starpu_config.h PATHS ${STARPU_INCLUDE_DIRS} NO_DEFAULT_PATH)
file(STRINGS "${STARPU_CONFIG_HEADER}" _starpu_cuda REGEX "^#define STARPU_USE_CUDA 1")
if(_starpu_cuda)
  set(STARPU_HAS_CUDA ON)
else()
  set(STARPU_HAS_CUDA OFF)
endif()
message(STATUS "StarPU ${STARPU_VERSION} from ${STARPU_LIBDIR} (CUDA: ${STARPU_HAS_CUDA})")

pkg_check_modules(HWLOC REQUIRED IMPORTED_TARGET hwloc)
add_library(hwloc::hwloc INTERFACE IMPORTED)
target_link_libraries(hwloc::hwloc INTERFACE PkgConfig::HWLOC)

set(STARLING_HAVE_MPI 0)
if(STARLING_ENABLE_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)
  set(STARLING_HAVE_MPI 1)
endif()

find_package(nlohmann_json 3 REQUIRED)

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
