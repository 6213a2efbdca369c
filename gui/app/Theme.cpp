#include "gui/app/Theme.h"

#include <QApplication>
#include <QColor>
#include <QIcon>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>

namespace flowscope::gui {
namespace {
ThemeKind gTheme = ThemeKind::Light;
}

void applyTheme(QApplication& app, ThemeKind kind) {
  gTheme = kind;
  app.setStyle(QStyleFactory::create("Fusion"));
  QPalette p;
  if (kind == ThemeKind::Dark) {
    const QColor window(45, 45, 48), base(30, 30, 32), text(225, 225, 225), accent(64, 140, 220);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, accent);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
  } else {
    p = QApplication::style()->standardPalette();
  }
  app.setPalette(p);
}

ThemeKind currentTheme() { return gTheme; }

bool paletteIsDark() { return QApplication::palette().color(QPalette::Window).lightness() < 128; }

QIcon colorSwatch(const QColor& color) {
  QPixmap pm(14, 14);
  pm.fill(Qt::transparent);
  QPainter p(&pm);
  p.setRenderHint(QPainter::Antialiasing);
  p.setBrush(color);
  p.setPen(Qt::NoPen);
  p.drawEllipse(1, 1, 12, 12);
  return QIcon(pm);
}

}  // namespace flowscope::gui
