"""The app's pages and dialogs."""
