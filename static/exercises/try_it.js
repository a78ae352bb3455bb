/*
 * "Try it": a timer that follows an exercise's default dose, on its public page.
 * The dose comes from the section's data attributes; without JavaScript the section stays
 * hidden and the dose is plain text above it. Holds and timed sets count down; repetitions
 * are paced at 4 seconds each; a short tone marks each change (with a sound switch).
 */
(function () {
  "use strict";
  var REP_SECONDS = 4;
  var BETWEEN_HOLDS = 5;

  function number(value) {
    var n = parseInt(value, 10);
    return isNaN(n) ? 0 : n;
  }

  function sides(side) {
    if (side === "both") return ["Left side", "Right side"];
    if (side === "left") return ["Left side"];
    if (side === "right") return ["Right side"];
    return [""];
  }

  function plan(data) {
    var steps = [];
    var sets = Math.max(1, number(data.sets));
    var reps = number(data.reps);
    var hold = number(data.hold);
    var duration = number(data.duration);
    var rest = number(data.rest);
    sides(data.side).forEach(function (side) {
      for (var set = 1; set <= sets; set++) {
        var setLabel = sets > 1 ? "Set " + set + " of " + sets : "";
        if (hold) {
          var holds = Math.max(1, reps);
          for (var r = 1; r <= holds; r++) {
            steps.push({ label: [side, "Hold"].filter(Boolean).join(": "), seconds: hold,
              count: [setLabel, holds > 1 ? "Hold " + r + " of " + holds : ""].filter(Boolean).join(", ") });
            if (r < holds) steps.push({ label: "Relax", seconds: rest || BETWEEN_HOLDS, count: "" });
          }
        } else if (duration) {
          steps.push({ label: [side, "Keep going"].filter(Boolean).join(": "), seconds: duration, count: setLabel });
        } else {
          steps.push({ label: [side, (reps || 1) + " repetitions"].filter(Boolean).join(": "),
            seconds: (reps || 1) * REP_SECONDS, count: setLabel, reps: reps || 1 });
        }
        if (set < sets && rest) steps.push({ label: "Rest", seconds: rest, count: "" });
      }
    });
    return steps;
  }

  function setup(section) {
    var steps = plan(section.dataset);
    var phase = section.querySelector("[data-role=phase]");
    var clock = section.querySelector("[data-role=clock]");
    var count = section.querySelector("[data-role=count]");
    var start = section.querySelector("[data-role=start]");
    var pause = section.querySelector("[data-role=pause]");
    var reset = section.querySelector("[data-role=reset]");
    var sound = section.querySelector("[data-role=sound]");
    var index = -1, left = 0, timer = null, audio = null, soundOn = true;

    function tone() {
      if (!soundOn) return;
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      audio = audio || new Context();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 660;
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.25);
    }

    function show() {
      var step = steps[index];
      clock.textContent = String(left);
      if (step && step.reps) {
        var done = Math.min(step.reps, Math.floor((step.seconds - left) / REP_SECONDS) + 1);
        count.textContent = [step.count, "Repetition " + done + " of " + step.reps].filter(Boolean).join(", ");
      } else {
        count.textContent = step ? step.count : "";
      }
    }

    function next() {
      index += 1;
      if (index >= steps.length) {
        stop();
        phase.textContent = "Done. Well done!";
        clock.textContent = "0";
        count.textContent = "";
        start.disabled = true;
        tone();
        return;
      }
      left = steps[index].seconds;
      phase.textContent = steps[index].label;
      tone();
      show();
    }

    function tick() {
      left -= 1;
      if (left <= 0) next(); else show();
    }

    function stop() {
      if (timer) window.clearInterval(timer);
      timer = null;
      pause.disabled = true;
    }

    start.addEventListener("click", function () {
      if (index < 0) next();
      timer = window.setInterval(tick, 1000);
      start.disabled = true;
      pause.disabled = false;
      reset.disabled = false;
      pause.focus();
    });
    pause.addEventListener("click", function () {
      stop();
      phase.textContent = "Paused. " + (steps[index] ? steps[index].label : "");
      start.textContent = "Carry on";
      start.disabled = false;
      start.focus();
    });
    reset.addEventListener("click", function () {
      stop();
      index = -1;
      left = 0;
      phase.textContent = "Ready when you are.";
      clock.textContent = "0";
      count.textContent = "";
      start.textContent = "Start";
      start.disabled = false;
      reset.disabled = true;
      start.focus();
    });
    sound.addEventListener("click", function () {
      soundOn = !soundOn;
      sound.setAttribute("aria-pressed", soundOn ? "true" : "false");
      sound.textContent = soundOn ? "Sound on" : "Sound off";
    });
    section.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".try-it"), setup);
  });
})();
