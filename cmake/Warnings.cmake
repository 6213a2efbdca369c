# Project warnings, applied per target so third-party headers (imported as SYSTEM) stay quiet.
# CI builds with -DFLOWSCOPE_WERROR=ON, so a new warning fails the build there.
option(FLOWSCOPE_WERROR "Treat compiler warnings as errors in FlowScope's own targets" OFF)

function(flowscope_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
    if(FLOWSCOPE_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
