#pragma once
// Light and dark palettes on the Fusion style (consistent on every platform), kept in QSettings.

#include <QString>

class QApplication;
class QColor;
class QIcon;

namespace flowscope::gui {

enum class ThemeKind { Light, Dark };

void applyTheme(QApplication& app, ThemeKind kind);
ThemeKind currentTheme();
/// True when the application palette is dark (views pick colormaps and chart themes from it).
bool paletteIsDark();
/// A run's color as a small round icon (runs list, NFE panel).
QIcon colorSwatch(const QColor& color);

}  // namespace flowscope::gui
