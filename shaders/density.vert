#version 330 core
// The heatmap quad: the field's data-space bounds, mapped to the plot's place in the viewport.
layout(location = 0) in vec2 a_unit;  // corner of the unit square
uniform vec4 u_bounds;                // xmin, ymin, xmax, ymax of the field (data units)
uniform vec4 u_xform;                 // ndc = data * xform.xy + xform.zw
out vec2 v_uv;

void main() {
  vec2 data = mix(u_bounds.xy, u_bounds.zw, a_unit);
  gl_Position = vec4(data * u_xform.xy + u_xform.zw, 0.0, 1.0);
  v_uv = a_unit;  // texture row 0 is the lowest y, like the histogram
}
