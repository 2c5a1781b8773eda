"""workbench: review Japanese documents into English, sentence by sentence."""

__version__ = "0.1.0"
