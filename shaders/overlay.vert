#version 330 core
// Overlay trajectories (line strips) and their heads at t (points), in data coordinates.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color;
uniform vec4 u_xform;       // ndc = data * xform.xy + xform.zw
uniform float u_pointSize;  // device pixels
uniform float u_alpha;
uniform float u_useOverride;
uniform vec4 u_override;    // one color for every vertex (head outlines)
out vec4 v_color;

void main() {
  gl_Position = vec4(a_pos * u_xform.xy + u_xform.zw, 0.0, 1.0);
  gl_PointSize = u_pointSize;
  v_color = mix(vec4(a_color.rgb, a_color.a * u_alpha), u_override, u_useOverride);
}
