# flowscope_add_gtest_suites(TARGET PREFIX SOURCES... [PROPERTIES prop value ...]): one ctest entry
# per GoogleTest suite (TEST/TEST_F/TEST_P/TYPED_TEST first argument) found in SOURCES, named
# PREFIX.Suite and run as TARGET --gtest_filter=Suite.*. One process per suite instead of one per
# test: a LibTorch binary takes ~0.45 s to start, which one-process-per-test paid 280 times.
function(flowscope_add_gtest_suites target prefix)
  cmake_parse_arguments(ARG "" "" "PROPERTIES" ${ARGN})
  set(suites "")
  foreach(source IN LISTS ARG_UNPARSED_ARGUMENTS)
    get_filename_component(path "${source}" ABSOLUTE)
    file(STRINGS "${path}" lines REGEX "^(TEST|TEST_F|TEST_P|TYPED_TEST)\\(")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[A-Z_]+\\(([A-Za-z0-9_]+),.*" "\\1" suite "${line}")
      list(APPEND suites "${suite}")
    endforeach()
    # Re-run CMake when a source gains or loses a suite.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
  endforeach()
  list(REMOVE_DUPLICATES suites)
  foreach(suite IN LISTS suites)
    add_test(NAME ${prefix}.${suite} COMMAND ${target} --gtest_filter=${suite}.*:*/${suite}.*:${suite}/*)
    if(ARG_PROPERTIES)
      set_tests_properties(${prefix}.${suite} PROPERTIES ${ARG_PROPERTIES})
    endif()
  endforeach()
endfunction()
