"""The page's look: readable on a projector (large type, nothing cut off, no horizontal scrolling),
a presentation mode that fits 1280×720 with the controls hidden, and Solara's badge kept off the content."""

from __future__ import annotations

PRESENT_CARDS = ("lonely_share", "clients", "waiting_list", "cumulative_cost")

CSS = """
.bk-root { font-size: 16px; line-height: 1.3; overflow-x: hidden; }
.bk-root * { overflow-wrap: normal; word-break: normal; hyphens: manual; }
.bk-header { background: #3b1f6e !important; color: white; padding: 6px 14px; gap: 12px; }
.bk-title { font-size: 22px; margin: 0; color: white; flex: 1 1 380px; font-weight: 600; }
.bk-header .v-btn.v-btn--outlined { color: white !important; background: transparent !important;
                                    border-color: white !important; }
.bk-player { background: transparent !important; }
.bk-year { font-size: 22px; font-weight: 700; min-width: 110px; white-space: nowrap; }
.bk-legend { display: flex; flex-wrap: wrap; gap: 6px 22px; padding: 6px 14px; font-size: 16px; }
.bk-legend-item { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.bk-main { display: grid; grid-template-columns: minmax(300px, 360px) minmax(0, 1fr); gap: 12px; padding: 0 12px 60px; }
.bk-controls { min-width: 0; }
.bk-content { min-width: 0; }
.bk-content-row { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 12px; }
.bk-chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 10px; }
.bk-cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 8px; margin: 6px 0; }
.bk-card { border: 1px solid #ccc; border-radius: 6px; padding: 6px 8px; background: #fafafa; min-width: 0; }
.bk-card-title { font-weight: 600; font-size: 15px; margin-bottom: 2px; }
.bk-val { font-size: 18px; display: flex; align-items: center; gap: 4px; flex-wrap: wrap; }
.bk-val svg { flex: none; }
.bk-diff { font-size: 13px; color: #333; padding-left: 40px; }
.bk-chance { font-size: 13px; color: #8a4b00; font-style: italic; padding-left: 40px; }
.bk-chart { border: 1px solid #e3e3e3; border-radius: 6px; padding: 4px 6px; min-width: 0; }
.bk-chart-title { font-weight: 600; font-size: 16px; }
.bk-help { font-size: 13px; color: #333; padding: 2px 2px 4px; }
.bk-network { min-width: 0; }
.bk-network img { width: 100%; height: auto; }
.bk-tie-counts { font-size: 14px; }
.bk-new { color: #009E73; } .bk-lost { color: #D55E00; } .bk-brokered { color: #B07800; }
.bk-band-note { font-size: 13px; color: #444; }
.bk-preset-text { font-size: 14px; }
.bk-link { display: block; margin: 8px 0; }
/* guided mode: the lesson beside the charts */
.bk-lesson { border: 2px solid #3b1f6e; border-radius: 6px; padding: 8px 10px; margin-bottom: 10px; background: #f6f2fc; }
.bk-lesson-title { font-size: 18px; margin: 0 0 6px; }
.bk-lesson p { margin: 6px 0; font-size: 15px; }
.bk-lesson-help { color: #444; font-size: 14px !important; }
.bk-choices { flex-direction: column; height: auto !important; width: 100%; }
.bk-choices .v-btn { height: auto !important; min-height: 36px; white-space: normal; justify-content: flex-start;
                     text-align: left; width: 100%; padding: 4px 8px !important; }
.bk-quote { border-left: 4px solid #3b1f6e; margin: 6px 0; padding: 2px 8px; font-style: italic; font-size: 15px; }
.bk-controls .v-slider__thumb-label { font-size: 11px; }
.bk-controls .v-label { white-space: normal; }
/* presentation mode: one screen at 1280x720, controls collapsed, larger type */
body:has(.bk-presenting) div:has(> b > a[href="https://solara.dev"]) { position: fixed !important; bottom: 0; right: 0; }
.bk-presenting { height: calc(100vh - 26px); display: flex; flex-direction: column; overflow: hidden; }
.bk-presenting .bk-live { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
.bk-presenting .bk-title { font-size: 20px; flex-basis: 300px; }
.bk-presenting .bk-legend { padding: 2px 12px; font-size: 17px; }
.bk-presenting .bk-cards { grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); margin: 2px 12px; gap: 6px; }
.bk-presenting .bk-card { padding: 3px 8px; }
.bk-presenting .bk-val { font-size: 18px; }
.bk-presenting .bk-diff, .bk-presenting .bk-chance { font-size: 13px; padding-left: 40px; }
.bk-present-main { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 12px; padding: 0 12px;
                   flex: 1 1 auto; min-height: 0; overflow: hidden; }
.bk-presenting .bk-help { font-size: 13px; }
.bk-presenting .bk-tie-counts { font-size: 13px; }
.bk-chart-choice .v-btn { text-transform: none; font-size: 13px; }
.v-btn { text-transform: none !important; letter-spacing: normal !important; }
/* Solara's badge: below the page instead of over the content */
div:has(> b > a[href="https://solara.dev"]) { position: static !important; text-align: right; font-size: 11px;
                                              padding: 2px 10px !important; height: 22px; }
"""
