"""Machine translation: Argos Translate packages (`packages`) apart from the engine that runs
their models through CTranslate2 (`engine`). Translating a project is `workbench.core.pipeline`."""
