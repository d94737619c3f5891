# html_layout.sh - sourced by the HTML tests: renders a page in headless
# Chromium at a given width and measures its layout. Installs Debian's
# chromium when it is missing (and apt-get can); `have_chromium` says
# whether it is there. layout FILE WIDTH [SHOT.png] prints one line:
#   vw=390 overflow=0 wide=0 chart=1 wide_what=
# overflow: the page scrolls sideways (document wider than the viewport);
# wide: elements whose box ends past the viewport, other than the content
# of a box that scrolls on its own (class scroll, overflow-x auto), which
# must itself fit, and text that sticks out of its box past the viewport; chart: an svg.chart is drawn with a non-zero size.
CHROMIUM_FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --disable-component-update --disable-sync"
have_chromium() {
    command -v chromium >/dev/null 2>&1 && return 0
    [ "$(id -u)" -eq 0 ] || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1
    command -v chromium >/dev/null 2>&1
}
layout() { # layout FILE WIDTH [SHOT]
    local page=$1 w=$2 shot=${3:-} probe="$WORK/probe-$2-$(basename "$1")"
    # Chromium's headless window is at least 500 px wide: the page is laid
    # out in an iframe of exactly WIDTH px (srcdoc: same origin, so the
    # probe can measure it; the page's own policy forbids scripts, and the
    # probe runs outside it).
    python3 - "$page" "$w" >"$probe" <<'PY'
import html, sys
page, w = open(sys.argv[1], encoding="utf-8").read(), int(sys.argv[2])
print("<!DOCTYPE html><html><body style='margin:0'><iframe id=f style='width:%dpx;height:800px;border:0'"
      " srcdoc=\"%s\"></iframe>" % (w, html.escape(page, quote=True)))
print("""<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, vw = d.documentElement.clientWidth, wide = [], n = 0;
  d.querySelectorAll('body *').forEach(function (el) {
    if (el.closest('.scroll') && !el.classList.contains('scroll')) return;
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') return;
    var r = el.getBoundingClientRect();
    // a box past the viewport, or text sticking out of its box
    var sticks = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 &&
      getComputedStyle(el).overflowX === 'visible' && r.left + el.scrollWidth > vw + 0.5;
    if (sticks || (r.width > 0 && (r.right > vw + 0.5 || r.width > vw + 0.5))) {
      n++; if (wide.length < 3) wide.push(el.tagName + '.' + el.className + ':' + Math.round(r.right)); }
  });
  var c = d.querySelector('svg.chart'), cr = c ? c.getBoundingClientRect() : null;
  var out = 'vw=' + vw + ' overflow=' + (d.documentElement.scrollWidth > vw ? 1 : 0) + ' wide=' + n +
    ' chart=' + (cr && cr.width > 0 && cr.height > 0 ? 1 : 0) + ' wide_what=' + wide.join(',');
  var p = document.createElement('pre'); p.id = 'tt-layout'; p.textContent = out; document.body.appendChild(p);
});
</script></body></html>""")
PY
    local win=$((w + 40))
    [ "$win" -ge 520 ] || win=520
    # shellcheck disable=SC2086
    chromium $CHROMIUM_FLAGS --user-data-dir="$WORK/chr-$w" --window-size="$win,900" \
        --virtual-time-budget=5000 --dump-dom "file://$probe" 2>/dev/null |
        sed -n 's/.*<pre id="tt-layout">\([^<]*\)<.*/\1/p'
    if [ -n "$shot" ]; then
        # shellcheck disable=SC2086
        chromium $CHROMIUM_FLAGS --user-data-dir="$WORK/chr-$w" --window-size="$w,800" \
            --screenshot="$shot" "file://$page" >/dev/null 2>&1
    fi
}
