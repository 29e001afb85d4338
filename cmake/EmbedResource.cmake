# Compiles a resource file into the binary as a byte array, so the executables carry the
# standard's schema with them and never depend on an install path at run time.
#   cplink_embed_resource(OUT_VAR <file> <c++ symbol>)
function(cplink_embed_resource out_var input symbol)
    get_filename_component(name "${input}" NAME)
    set(output "${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cpp")
    add_custom_command(
        OUTPUT "${output}"
        COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
                -P "${PROJECT_SOURCE_DIR}/cmake/EmbedResourceScript.cmake"
        DEPENDS "${input}" "${PROJECT_SOURCE_DIR}/cmake/EmbedResourceScript.cmake"
        COMMENT "Embedding ${name}"
        VERBATIM)
    set(${out_var} "${output}" PARENT_SCOPE)
endfunction()
