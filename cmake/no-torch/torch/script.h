// Poison header: on the include path of every torch-free target (gui/, app/gui, their tests).
#error "LibTorch header reached from a torch-free target: gui/ talks to the engine only through core/api (docs/architecture.md, Layers)"
