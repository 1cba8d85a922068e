"""OCR tests: rendered SMS screenshots read with Tesseract."""
