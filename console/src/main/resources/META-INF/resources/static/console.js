// The console's only script of its own (the Content-Security-Policy allows no inline script): counts down the time
// to each instance's expiry, and shows times in the browser's time zone. It reads the datetime attributes, never
// the text, so nothing a service returned is ever run or parsed as HTML.
(function () {
    "use strict";

    function countdown(element, now) {
        var at = Date.parse(element.getAttribute("datetime"));
        if (isNaN(at)) {
            return;
        }
        var seconds = Math.round((at - now) / 1000);
        element.textContent = seconds > 0 ? seconds + " s" : "expired";
        element.classList.toggle("expired", seconds <= 0);
    }

    function localTime(element) {
        var at = Date.parse(element.getAttribute("datetime"));
        if (!isNaN(at)) {
            element.textContent = new Date(at).toLocaleString();
            element.title = element.getAttribute("datetime");
        }
    }

    function tick() {
        var now = Date.now();
        document.querySelectorAll("time.countdown").forEach(function (element) { countdown(element, now); });
    }

    function format(root) {
        root.querySelectorAll("time:not(.countdown):not([data-local])").forEach(function (element) {
            element.setAttribute("data-local", "");
            localTime(element);
        });
        tick();
    }

    document.addEventListener("DOMContentLoaded", function () {
        format(document);
        setInterval(tick, 1000);
    });
    document.addEventListener("htmx:afterSwap", function (event) { format(event.target); });
    document.addEventListener("htmx:sseMessage", function () { format(document); });
    // A live panel says whether its stream is open; the extension reconnects by itself after an error.
    document.addEventListener("htmx:sseOpen", function (event) { event.target.setAttribute("data-live", "open"); });
    document.addEventListener("htmx:sseError", function (event) { event.target.setAttribute("data-live", "reconnecting"); });
})();
