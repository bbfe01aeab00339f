// Click-to-load YouTube videos (wmpsite/features/videos.py): nothing is requested from YouTube
// until the resident presses the play button; then an iframe from youtube-nocookie.com replaces
// the local still. Without JavaScript the button stays hidden and the link to YouTube remains.
(function () {
  "use strict";
  function play(figure, button) {
    var frame = document.createElement("iframe");
    frame.src = figure.getAttribute("data-video-embed");
    frame.title = "Video: " + figure.getAttribute("data-video-title");
    frame.allow = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "video__iframe";
    var holder = button.parentNode;
    holder.replaceChildren(frame);
    frame.focus();
  }
  var figures = document.querySelectorAll("figure[data-video-embed]");
  Array.prototype.forEach.call(figures, function (figure) {
    var button = figure.querySelector(".video__play");
    if (!button || figure.hasAttribute("data-video-ready")) return;
    figure.setAttribute("data-video-ready", "");
    button.hidden = false;
    button.addEventListener("click", function () { play(figure, button); });
  });
})();
