#version 330 core
// Maps the field (colormap coordinates in [0, 1], one texel per bin) through the colormap.
in vec2 v_uv;
uniform sampler2D u_field;
uniform sampler1D u_colormap;  // 256 entries
out vec4 fragColor;

void main() {
  float u = clamp(texture(u_field, v_uv).r, 0.0, 1.0);
  // Entry floor(u * 255 + 0.5) at its texel center, exactly as Colormap::map picks it.
  fragColor = vec4(texture(u_colormap, (floor(u * 255.0 + 0.5) + 0.5) / 256.0).rgb, 1.0);
}
