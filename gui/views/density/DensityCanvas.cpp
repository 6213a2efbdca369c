#include "gui/views/density/DensityCanvas.h"

#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QOpenGLFunctions_3_3_Core>
#include <QOpenGLPaintDevice>
#include <QOpenGLShaderProgram>
#include <QOpenGLWidget>
#include <QPainter>
#include <QSurfaceFormat>
#include <QWidget>

#include <cmath>
#include <memory>
#include <vector>

#include "gui/views/density/DensityScene.h"

namespace flowscope::gui {
namespace {

bool gSoftwareGl = false;  // set by DensityCanvas::openGlAvailable()

QSurfaceFormat glFormat() {
  QSurfaceFormat f = QSurfaceFormat::defaultFormat();
  f.setRenderableType(QSurfaceFormat::OpenGL);
  f.setVersion(3, 3);
  f.setProfile(QSurfaceFormat::CoreProfile);
  // Multisampling smooths the overlay lines; on a software rasterizer (llvmpipe under Xvfb) it
  // tripled the frame time, so it is left off there.
  f.setSamples(gSoftwareGl ? 0 : 4);
  return f;
}

// --- QPainter ---------------------------------------------------------------------------------

class PainterCanvas final : public QWidget, public DensityCanvas {
 public:
  PainterCanvas(const DensityScene* scene, QWidget* parent) : QWidget(parent), DensityCanvas(scene) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 260);
  }
  QWidget* widget() override { return this; }
  bool usesOpenGl() const override { return false; }
  void renderNow() override { repaint(); }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    const DensityPlot plot(QRectF(rect()), *scene_, labels_, PlotStyle::forWidget(*this));
    plot.paintBackground(p);
    plot.paintHeatmap(p);
    if (scene_->hasData()) {
      p.drawImage(QPointF(0, 0), linesLayer(plot));
      plot.paintHeads(p);
    }
    plot.paintDecorations(p);
    p.end();
    notifyPainted();
  }

 private:
  /// The overlay lines do not move with t: drawn once into a transparent layer, reused per frame.
  const QImage& linesLayer(const DensityPlot& plot) {
    const qreal dpr = devicePixelRatioF();
    const uint64_t version = scene_->overlayVersion();
    if (layer_.isNull() || layerVersion_ != version || layerPlot_ != plot.plot() || layer_.devicePixelRatio() != dpr ||
        layer_.size() != size() * dpr) {
      layer_ = QImage(size() * dpr, QImage::Format_ARGB32_Premultiplied);
      layer_.setDevicePixelRatio(dpr);
      layer_.fill(Qt::transparent);
      QPainter lp(&layer_);
      plot.paintLines(lp);
      layerVersion_ = version;
      layerPlot_ = plot.plot();
    }
    return layer_;
  }

  QImage layer_;
  uint64_t layerVersion_ = 0;
  QRectF layerPlot_;
};

// --- OpenGL -----------------------------------------------------------------------------------

class GlCanvas final : public QOpenGLWidget, public DensityCanvas, protected QOpenGLFunctions_3_3_Core {
 public:
  GlCanvas(const DensityScene* scene, QWidget* parent) : QOpenGLWidget(parent), DensityCanvas(scene) {
    setFormat(glFormat());
    setMinimumSize(320, 260);
  }
  ~GlCanvas() override {
    if (!initialized_) return;
    makeCurrent();
    glDeleteTextures(1, &fieldTex_);
    glDeleteTextures(1, &cmapTex_);
    GLuint buffers[] = {quadVbo_, linesVbo_, headsVbo_};
    glDeleteBuffers(3, buffers);
    GLuint arrays[] = {quadVao_, linesVao_, headsVao_};
    glDeleteVertexArrays(3, arrays);
    heatmap_.reset();
    overlay_.reset();
    doneCurrent();
  }
  QWidget* widget() override { return this; }
  bool usesOpenGl() const override { return true; }
  void renderNow() override {
    const uint64_t before = frames_;
    repaint();
    makeCurrent();
    // Qt 6.4 paints a texture-backed widget in repaint() only when the window can take a new
    // frame (measured: every third call under Xvfb). Otherwise draw the frame here, into the
    // widget's framebuffer as QOpenGLWidget would, and let it be composed later.
    if (frames_ == before && initialized_) {
      paintGL();
      update();
    }
    glFinish();
    doneCurrent();
  }

 protected:
  void initializeGL() override {
    initializeOpenGLFunctions();
    initialized_ = true;
    heatmap_ = program(":/shaders/density.vert", ":/shaders/density.frag");
    overlay_ = program(":/shaders/overlay.vert", ":/shaders/overlay.frag");

    glGenTextures(1, &fieldTex_);
    glBindTexture(GL_TEXTURE_2D, fieldTex_);
    // Nearest: one bin is one flat cell, as in the exported image.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glGenTextures(1, &cmapTex_);
    glBindTexture(GL_TEXTURE_1D, cmapTex_);
    glTexParameteri(GL_TEXTURE_1D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_1D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_1D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);

    glGenVertexArrays(1, &quadVao_);
    glGenBuffers(1, &quadVbo_);
    glBindVertexArray(quadVao_);
    glBindBuffer(GL_ARRAY_BUFFER, quadVbo_);
    const float quad[] = {0, 0, 1, 0, 0, 1, 1, 1};
    glBufferData(GL_ARRAY_BUFFER, sizeof(quad), quad, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);

    for (auto [vao, vbo] : {std::pair{&linesVao_, &linesVbo_}, std::pair{&headsVao_, &headsVbo_}}) {
      glGenVertexArrays(1, vao);
      glGenBuffers(1, vbo);
      glBindVertexArray(*vao);
      glBindBuffer(GL_ARRAY_BUFFER, *vbo);
      glEnableVertexAttribArray(0);
      glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 6 * sizeof(float), nullptr);
      glEnableVertexAttribArray(1);
      glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 6 * sizeof(float),
                            reinterpret_cast<const void*>(2 * sizeof(float)));
    }
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    fieldVersion_ = overlayVersion_ = 0;
    cmapUploaded_ = -1;
  }

  void paintGL() override {
    // Paint through a device on the bound framebuffer, not QPainter(this): QWidget::grab()
    // redirects painters on widgets, which sends the decorations elsewhere than the GL content.
    const qreal dpr = devicePixelRatioF();
    QOpenGLPaintDevice device(size() * dpr);
    device.setDevicePixelRatio(dpr);
    QPainter p(&device);
    DensityLabels labels = labels_;
    if (!error_.isEmpty()) labels.status = error_;
    const DensityPlot plot(QRectF(rect()), *scene_, labels, PlotStyle::forWidget(*this));
    plot.paintBackground(p);
    if (scene_->hasData() && heatmap_ && overlay_) {
      p.beginNativePainting();
      drawGl(plot);
      p.endNativePainting();
    } else {
      plot.paintHeatmap(p);
    }
    plot.paintDecorations(p);
    p.end();
    ++frames_;
    notifyPainted();
  }

 private:
  std::unique_ptr<QOpenGLShaderProgram> program(const QString& vert, const QString& frag) {
    auto prog = std::make_unique<QOpenGLShaderProgram>();
    if (!prog->addShaderFromSourceFile(QOpenGLShader::Vertex, vert) ||
        !prog->addShaderFromSourceFile(QOpenGLShader::Fragment, frag) || !prog->link()) {
      error_ = "OpenGL shader error: " + prog->log().left(200);
      return nullptr;
    }
    return prog;
  }

  static void appendVertex(std::vector<float>& v, QPointF p, QRgb c) {
    v.insert(v.end(), {static_cast<float>(p.x()), static_cast<float>(p.y()), qRed(c) / 255.f, qGreen(c) / 255.f,
                       qBlue(c) / 255.f, 1.f});
  }

  void upload(const DensityScene& s) {
    const std::vector<float>& field = s.field();
    if (s.fieldVersion() != fieldVersion_) {
      fieldVersion_ = s.fieldVersion();
      glBindTexture(GL_TEXTURE_2D, fieldTex_);
      glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
      const QSize size(s.fieldWidth(), s.fieldHeight());
      if (size != texSize_) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, size.width(), size.height(), 0, GL_RED, GL_FLOAT, field.data());
        texSize_ = size;
      } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, size.width(), size.height(), GL_RED, GL_FLOAT, field.data());
      }
    }
    if (cmapUploaded_ != static_cast<int>(s.colormap().kind())) {
      cmapUploaded_ = static_cast<int>(s.colormap().kind());
      glBindTexture(GL_TEXTURE_1D, cmapTex_);
      // QRgb is 0xAARRGGBB: B, G, R, A in memory on little-endian machines.
      glTexImage1D(GL_TEXTURE_1D, 0, GL_RGBA8, 256, 0, GL_BGRA, GL_UNSIGNED_INT_8_8_8_8_REV, s.colormap().lut().data());
    }
    const std::vector<OverlayPath>& paths = s.overlay();
    if (s.overlayVersion() != overlayVersion_) {
      overlayVersion_ = s.overlayVersion();
      vertices_.clear();
      firsts_.clear();
      counts_.clear();
      for (const OverlayPath& path : paths) {
        firsts_.push_back(static_cast<GLint>(vertices_.size() / 6));
        counts_.push_back(static_cast<GLsizei>(path.points.size()));
        for (size_t k = 0; k < path.points.size(); ++k) appendVertex(vertices_, path.points[k], path.colors[k]);
      }
      glBindBuffer(GL_ARRAY_BUFFER, linesVbo_);
      glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices_.size() * sizeof(float)), vertices_.data(),
                   GL_STATIC_DRAW);
      headsCapacity_ = 0;
    }
    heads_.clear();
    for (const OverlayPath& path : paths) appendVertex(heads_, path.head, path.headColor);
    glBindBuffer(GL_ARRAY_BUFFER, headsVbo_);
    const auto bytes = static_cast<GLsizeiptr>(heads_.size() * sizeof(float));
    if (bytes > headsCapacity_) {
      glBufferData(GL_ARRAY_BUFFER, bytes, heads_.data(), GL_DYNAMIC_DRAW);
      headsCapacity_ = bytes;
    } else if (bytes > 0) {
      glBufferSubData(GL_ARRAY_BUFFER, 0, bytes, heads_.data());
    }
    glBindBuffer(GL_ARRAY_BUFFER, 0);
  }

  void drawGl(const DensityPlot& plot) {
    const DensityScene& s = *scene_;
    const qreal dpr = devicePixelRatioF();
    const double W = width(), H = height();
    const QRectF pr = plot.plot();
    glViewport(0, 0, static_cast<GLsizei>(std::lround(W * dpr)), static_cast<GLsizei>(std::lround(H * dpr)));
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_SCISSOR_TEST);
    glScissor(static_cast<GLint>(std::lround(pr.left() * dpr)), static_cast<GLint>(std::lround((H - pr.bottom()) * dpr)),
              static_cast<GLsizei>(std::lround(pr.width() * dpr)), static_cast<GLsizei>(std::lround(pr.height() * dpr)));
    const QRgb low = s.colormap().lut()[0];
    glClearColor(qRed(low) / 255.f, qGreen(low) / 255.f, qBlue(low) / 255.f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);

    upload(s);
    // Data coordinates to normalized device coordinates: ndc = xy * scale + offset.
    const ViewBounds r = s.range();
    const float sx = static_cast<float>(pr.width() / (r.xmax - r.xmin) * 2 / W);
    const float sy = static_cast<float>(pr.height() / (r.ymax - r.ymin) * 2 / H);
    const float ox = static_cast<float>(2 * pr.left() / W - 1 - r.xmin * sx);
    const float oy = static_cast<float>(1 - 2 * pr.bottom() / H - r.ymin * sy);

    const ViewBounds fb = s.fieldBounds();
    heatmap_->bind();
    heatmap_->setUniformValue("u_xform", sx, sy, ox, oy);
    heatmap_->setUniformValue("u_bounds", static_cast<float>(fb.xmin), static_cast<float>(fb.ymin),
                              static_cast<float>(fb.xmax), static_cast<float>(fb.ymax));
    heatmap_->setUniformValue("u_field", 0);
    heatmap_->setUniformValue("u_colormap", 1);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, fieldTex_);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_1D, cmapTex_);
    glBindVertexArray(quadVao_);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);

    if (!counts_.empty()) {
      glEnable(GL_BLEND);
      glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
      overlay_->bind();
      overlay_->setUniformValue("u_xform", sx, sy, ox, oy);
      overlay_->setUniformValue("u_alpha", s.overlayColoring() == OverlayColoring::Speed ? 0.8f : 0.67f);
      overlay_->setUniformValue("u_round", 0.f);
      overlay_->setUniformValue("u_useOverride", 0.f);
      overlay_->setUniformValue("u_pointSize", 1.f);
      glBindVertexArray(linesVao_);
      glMultiDrawArrays(GL_LINE_STRIP, firsts_.data(), counts_.data(), static_cast<GLsizei>(counts_.size()));

      // Heads: a dark disc under a colored one reads as an outlined marker.
      const float radius = counts_.size() > 400 ? 2.0f : 2.8f;
      glEnable(GL_PROGRAM_POINT_SIZE);
      glBindVertexArray(headsVao_);
      overlay_->setUniformValue("u_round", 1.f);
      overlay_->setUniformValue("u_alpha", 1.f);
      overlay_->setUniformValue("u_useOverride", 1.f);
      overlay_->setUniformValue("u_override", 0.f, 0.f, 0.f, 0.8f);
      overlay_->setUniformValue("u_pointSize", static_cast<float>((2 * radius + 1.6f) * dpr));
      glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(counts_.size()));
      overlay_->setUniformValue("u_useOverride", 0.f);
      overlay_->setUniformValue("u_pointSize", static_cast<float>(2 * radius * dpr));
      glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(counts_.size()));
      glDisable(GL_PROGRAM_POINT_SIZE);
      glDisable(GL_BLEND);
    }
    glBindVertexArray(0);
    glUseProgram(0);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_1D, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glDisable(GL_SCISSOR_TEST);
  }

  bool initialized_ = false;
  uint64_t frames_ = 0;
  QString error_;
  std::unique_ptr<QOpenGLShaderProgram> heatmap_, overlay_;
  GLuint fieldTex_ = 0, cmapTex_ = 0;
  GLuint quadVao_ = 0, quadVbo_ = 0, linesVao_ = 0, linesVbo_ = 0, headsVao_ = 0, headsVbo_ = 0;
  QSize texSize_;
  uint64_t fieldVersion_ = 0, overlayVersion_ = 0;
  int cmapUploaded_ = -1;
  std::vector<float> vertices_, heads_;  // reused: no allocation per frame once warmed up
  std::vector<GLint> firsts_;
  std::vector<GLsizei> counts_;
  GLsizeiptr headsCapacity_ = 0;
};

}  // namespace

void DensityCanvas::refresh() { widget()->update(); }

void DensityCanvas::setLabels(const DensityLabels& labels) {
  if (labels.title == labels_.title && labels.status == labels_.status && labels.legend == labels_.legend) return;
  labels_ = labels;
  refresh();
}

bool DensityCanvas::openGlAvailable() {
  static const bool available = [] {
    const QString platform = QGuiApplication::platformName();
    if (platform == "offscreen" || platform.startsWith("minimal")) return false;
    if (!QFile::exists(":/shaders/density.frag")) return false;
    QOpenGLContext context;
    context.setFormat(glFormat());
    if (!context.create()) return false;
    const QSurfaceFormat f = context.format();
    if (f.renderableType() != QSurfaceFormat::OpenGL || f.version() < qMakePair(3, 3)) return false;
    QOffscreenSurface surface;
    surface.setFormat(context.format());
    surface.create();
    if (!surface.isValid() || !context.makeCurrent(&surface)) return false;
    const auto* renderer = reinterpret_cast<const char*>(context.functions()->glGetString(GL_RENDERER));
    const QString name = QString::fromLatin1(renderer ? renderer : "").toLower();
    gSoftwareGl = name.contains("llvmpipe") || name.contains("softpipe") || name.contains("swrast");
    context.doneCurrent();
    return true;
  }();
  return available;
}

bool DensityCanvas::softwareOpenGl() { return openGlAvailable() && gSoftwareGl; }

DensityCanvas* DensityCanvas::create(const DensityScene* scene, bool allowOpenGl, QWidget* parent) {
  if (allowOpenGl && openGlAvailable()) return new GlCanvas(scene, parent);
  return new PainterCanvas(scene, parent);
}

}  // namespace flowscope::gui
