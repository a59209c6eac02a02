"""The workshop app (Solara): page, session logic, texts and the network view."""
