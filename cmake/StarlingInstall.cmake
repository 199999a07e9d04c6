# The installed package: libstarling.so (the network, codelets and runtime libraries in one shared
# library), the public headers, StarlingConfig.cmake with the target Starling::starling, and
# starling.pc for pkg-config.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

add_library(starling_library SHARED $<TARGET_OBJECTS:starling_network>
  $<TARGET_OBJECTS:starling_codelets> $<TARGET_OBJECTS:starling_runtime>)
add_library(Starling::starling ALIAS starling_library)
target_link_libraries(starling_library PRIVATE StarPU::starpu hwloc::hwloc Threads::Threads)
if(STARLING_HAVE_CUDA)
  target_link_libraries(starling_library PRIVATE CUDA::cudart)
endif()
target_include_directories(starling_library INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(starling_library INTERFACE cxx_std_17)
if(STARLING_HAVE_MPI)
  # Public: starling/mpi.hpp includes mpi.h.
  target_link_libraries(starling_library PUBLIC MPI::MPI_CXX)
endif()
# The installed library finds StarPU (and CUDA) where it was built against them.
set_target_properties(starling_library PROPERTIES
  OUTPUT_NAME starling EXPORT_NAME starling
  LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
  INSTALL_RPATH_USE_LINK_PATH TRUE)

install(TARGETS starling_library EXPORT StarlingTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES include/starling/error.hpp include/starling/simulator.hpp
              include/starling/types.hpp include/starling/mpi.hpp
              ${PROJECT_BINARY_DIR}/include/starling/config.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/starling)
if(NOT STARLING_HAVE_MPI)
  install(CODE "file(REMOVE \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_INCLUDEDIR}/starling/mpi.hpp\")")
endif()
set_target_properties(starling PROPERTIES INSTALL_RPATH_USE_LINK_PATH TRUE)
install(TARGETS starling RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Starling)
install(EXPORT StarlingTargets NAMESPACE Starling:: DESTINATION ${config_dir})
configure_package_config_file(cmake/StarlingConfig.cmake.in
  ${PROJECT_BINARY_DIR}/StarlingConfig.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/StarlingConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/StarlingConfig.cmake
              ${PROJECT_BINARY_DIR}/StarlingConfigVersion.cmake
        DESTINATION ${config_dir})

# pkg-config: the library and the core headers (which need no MPI; a host that includes
# starling/mpi.hpp compiles with its MPI compiler wrapper).
# The linker looks for libstarling's StarPU where it was built against (a build with CUDA may
# sit beside a CPU-only system StarPU).
get_filename_component(STARPU_LIBRARY_DIR "${STARPU_LIBRARY_FILE}" DIRECTORY)
configure_file(cmake/starling.pc.in ${PROJECT_BINARY_DIR}/starling.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/starling.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
