# Third-party packages. Debian 12 provides all of them; on a CUDA server LibTorch comes from the
# Python torch install and yaml-cpp/GoogleTest from unpacked .deb files (packaging/build-cuda.sh).

find_package(Torch REQUIRED)

# Newer LibTorch headers stop with "#error C++20 or later compatible compiler is required to use
# ATen" under C++17: read that requirement from the headers found instead of guessing a version.
find_file(FLOWSCOPE_ATEN_HEADER ATen/ATen.h PATHS ${TORCH_INCLUDE_DIRS} NO_DEFAULT_PATH)
if(FLOWSCOPE_ATEN_HEADER AND CMAKE_CXX_STANDARD LESS 20)
  file(STRINGS "${FLOWSCOPE_ATEN_HEADER}" _flowscope_aten_cxx20 REGEX "C\\+\\+20 or later")
  if(_flowscope_aten_cxx20)
    message(STATUS "FlowScope: LibTorch ${Torch_VERSION} requires C++20; building as C++20")
    set(CMAKE_CXX_STANDARD 20)
  endif()
endif()
find_package(yaml-cpp REQUIRED)
find_package(Threads REQUIRED)
# Header-only; the CLI's JSON output and reading the Python peers' JSON.
find_package(nlohmann_json 3.10 REQUIRED)

# yaml-cpp 0.7 exports only the target `yaml-cpp`; newer releases export `yaml-cpp::yaml-cpp`.
if(NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp INTERFACE IMPORTED)
  set_target_properties(yaml-cpp::yaml-cpp PROPERTIES INTERFACE_LINK_LIBRARIES yaml-cpp)
endif()

# LibTorch's imported target carries its include dirs but its flags live in TORCH_CXX_FLAGS.
add_library(flowscope_torch INTERFACE)
target_link_libraries(flowscope_torch INTERFACE ${TORCH_LIBRARIES})
separate_arguments(_flowscope_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(flowscope_torch INTERFACE ${_flowscope_torch_flags})
# The pip wheels' libtorch.so exports its own copy of std::filesystem (from an older libstdc++);
# listed before libstdc++ in NEEDED it interposes on ours and remove_all() jumps to null. Put
# libstdc++ first so its symbols win.
target_link_options(flowscope_torch INTERFACE "LINKER:--push-state,--no-as-needed" "-lstdc++"
                    "LINKER:--pop-state")

if(FLOWSCOPE_BUILD_GUI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets OpenGL OpenGLWidgets Svg PrintSupport Test)
endif()

if(FLOWSCOPE_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
