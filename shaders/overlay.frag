#version 330 core
in vec4 v_color;
uniform float u_round;  // 1: cut points into discs
out vec4 fragColor;

void main() {
  if (u_round > 0.5) {
    vec2 d = gl_PointCoord - vec2(0.5);
    if (dot(d, d) > 0.25) discard;
  }
  fragColor = v_color;
}
