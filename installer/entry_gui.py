"""Frozen entry point of khbc-gui.exe (the windowed program); PyInstaller starts here."""

from desktop.ui.launch import main

if __name__ == "__main__":
    main()
