#pragma once
// Light and dark palettes on the Fusion style (consistent on every platform), kept in QSettings.

#include <QString>

class QApplication;

namespace flowscope::gui {

enum class ThemeKind { Light, Dark };

void applyTheme(QApplication& app, ThemeKind kind);
ThemeKind currentTheme();
/// True when the application palette is dark (views pick colormaps and chart themes from it).
bool paletteIsDark();

}  // namespace flowscope::gui
