/*
 * The guided session player: one exercise at a time, a large countdown, a beep and spoken
 * prompts ("left side", "hold", "three, two, one, rest") so she can follow it lying on the
 * floor, a rep and set counter, pause and skip, the screen kept awake (Wake Lock).
 *
 * Progressive enhancement: the page works without this script (the exercise list and a plain
 * logging form). The script reads the items from data attributes on
 * <li data-player-item> (set by the server from the prescribed dose), shows the player
 * panel ([data-player], hidden by default) and, when the session ends, ticks the exercises
 * she did (at least one set finished) in the logging form and moves focus to it. No inline
 * script: strict CSP.
 *
 * Keys: Space or Enter = the big button (start, pause, resume, "rep done"), S or the right
 * arrow = skip, M = mute.
 */
(function () {
  "use strict";

  var panel = document.querySelector("[data-player]");
  if (!panel) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-player-item]"));
  if (!items.length) return;

  var el = function (name) { return panel.querySelector("[data-player-" + name + "]"); };
  var nameEl = el("name"), sideEl = el("side"), timerEl = el("timer"), counterEl = el("counter");
  var statusEl = el("status"), mainButton = el("main"), skipButton = el("skip");
  var muteButton = el("mute"), progressEl = el("progress");
  var logForm = document.querySelector("[data-log-form]");

  var SIDE_WORDS = { left: "Left side", right: "Right side" };
  var NUMBER_WORDS = ["zero", "one", "two", "three"];

  /* Steps: what the player does, in order. Each is {item, kind, seconds|reps, ...}. */
  function num(node, key, fallback) {
    var value = parseInt(node.getAttribute("data-" + key), 10);
    return isNaN(value) ? fallback : value;
  }

  function sidesFor(side) {
    if (side === "both") return ["left", "right"];
    if (side === "left" || side === "right") return [side];
    return [""];
  }

  function buildSteps() {
    var steps = [];
    items.forEach(function (node, index) {
      var name = node.getAttribute("data-name") || "Exercise " + (index + 1);
      var sets = Math.max(1, num(node, "sets", 1));
      var reps = num(node, "reps", 0), hold = num(node, "hold", 0);
      var duration = num(node, "duration", 0), rest = num(node, "rest", 0);
      var side = node.getAttribute("data-side") || "none";
      var sides = sidesFor(side);
      for (var set = 1; set <= sets; set++) {
        sides.forEach(function (s, sideIndex) {
          var base = { index: index, name: name, set: set, sets: sets, side: s,
                       alternating: side === "alternating" };
          if (duration > 0) {
            steps.push(Object.assign({ kind: "timed", seconds: duration }, base));
          } else if (hold > 0) {
            var times = Math.max(1, reps || 1);
            for (var rep = 1; rep <= times; rep++) {
              steps.push(Object.assign({ kind: "hold", seconds: hold, rep: rep, reps: times }, base));
              if (rep < times) steps.push(Object.assign({ kind: "rest", seconds: Math.min(10, rest || 5) }, base));
            }
          } else {
            steps.push(Object.assign({ kind: "reps", reps: Math.max(1, reps || 10) }, base));
          }
          var lastSide = sideIndex === sides.length - 1;
          if (!(set === sets && lastSide) && rest > 0) {
            steps.push(Object.assign({ kind: "rest", seconds: rest }, base));
          }
        });
      }
    });
    return steps;
  }

  var steps = buildSteps();
  var position = -1, remaining = 0, repsDone = 0, timer = null, paused = false;
  var muted = false, wakeLock = null, audio = null, completed = {}, started = false;

  /* Sound: a short beep from the Web Audio API (no file to load). */
  function beep(frequency, length) {
    if (muted) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = frequency || 880;
      gain.gain.value = 0.2;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (length || 0.2));
    } catch (e) { /* no audio: the screen still shows everything */ }
  }

  function say(text) {
    statusEl.textContent = text;
    if (muted || !("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  function keepAwake(on) {
    if (!("wakeLock" in navigator)) return;
    if (on && !wakeLock) {
      navigator.wakeLock.request("screen").then(function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () { wakeLock = null; });
      }).catch(function () { /* refused (battery saver): carry on */ });
    } else if (!on && wakeLock) {
      wakeLock.release();
      wakeLock = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && started && !paused && position < steps.length) {
      keepAwake(true);
    }
  });

  /* "1:00", "0:59" for a step of a minute or more; "15", "14" for shorter ones. */
  function clock(seconds, minutes) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m || minutes ? m + ":" + (s < 10 ? "0" : "") + s : String(s);
  }

  function render() {
    var step = steps[position];
    if (!step) return;
    nameEl.textContent = step.name;
    sideEl.textContent = step.side ? SIDE_WORDS[step.side] : (step.alternating ? "Alternate sides" : "");
    var count = "Set " + step.set + " of " + step.sets;
    if (step.kind === "hold") count += " · Repetition " + step.rep + " of " + step.reps;
    if (step.kind === "reps") count += " · " + repsDone + " of " + step.reps + " done";
    counterEl.textContent = count;
    if (step.kind === "reps") {
      timerEl.textContent = String(step.reps - repsDone);
      mainButton.textContent = paused ? "Resume" : "Rep done";
    } else {
      timerEl.textContent = clock(remaining, step.seconds >= 60);
      mainButton.textContent = paused ? "Resume" : "Pause";
    }
    panel.setAttribute("data-player-kind", step.kind);
    progressEl.textContent = "Exercise " + (step.index + 1) + " of " + items.length;
  }

  function announce(step) {
    var words = [];
    var previous = steps[position - 1];
    if (!previous || previous.index !== step.index) words.push(step.name);
    if (step.side && (!previous || previous.side !== step.side || previous.index !== step.index)) {
      words.push(SIDE_WORDS[step.side].toLowerCase());
    }
    if (step.kind === "hold") words.push("hold");
    else if (step.kind === "timed") words.push("go, " + clock(step.seconds) + (step.seconds >= 60 ? " minutes" : " seconds"));
    else if (step.kind === "reps") words.push(step.reps + " repetitions");
    else words.push("rest");
    say(words.join(", ").replace(/^./, function (c) { return c.toUpperCase(); }));
  }

  function go(next) {
    clearInterval(timer);
    position = next;
    var step = steps[position];
    if (!step) return finish();
    repsDone = 0;
    remaining = step.seconds || 0;
    announce(step);
    if (step.kind !== "rest") beep(880, 0.25);
    render();
    if (step.kind !== "reps") timer = setInterval(tick, 1000);
  }

  function tick() {
    if (paused) return;
    remaining -= 1;
    var step = steps[position];
    if (remaining > 0 && remaining <= 3 && step.kind !== "rest") {
      say(NUMBER_WORDS[remaining]);
      beep(660, 0.12);
    }
    if (remaining <= 0) {
      if (step.kind !== "rest") { completed[step.index] = true; beep(440, 0.5); say("Rest"); }
      return go(position + 1);
    }
    render();
  }

  function repDone() {
    var step = steps[position];
    repsDone += 1;
    beep(760, 0.1);
    if (repsDone >= step.reps) {
      completed[step.index] = true;
      say("Set done. Rest");
      return go(position + 1);
    }
    if (step.reps - repsDone <= 3) say(NUMBER_WORDS[step.reps - repsDone] + " to go");
    render();
  }

  function start() {
    started = true;
    panel.classList.add("is-running");
    skipButton.hidden = false;
    keepAwake(true);
    go(0);
  }

  function togglePause() {
    paused = !paused;
    keepAwake(!paused);
    say(paused ? "Paused" : "Carry on");
    render();
  }

  function main() {
    if (!started) return start();
    if (position >= steps.length) return;
    var step = steps[position];
    if (step.kind === "reps" && !paused) return repDone();
    togglePause();
  }

  function skip() {
    if (!started || position >= steps.length) return;
    var current = steps[position].index;
    paused = false;
    var next = position + 1;
    while (next < steps.length && steps[next].index === current) next++;
    say("Skipped");
    go(next);
  }

  function finish() {
    clearInterval(timer);
    position = steps.length;
    keepAwake(false);
    panel.classList.remove("is-running");
    nameEl.textContent = "Well done: session finished";
    sideEl.textContent = "";
    counterEl.textContent = "";
    timerEl.textContent = "✓";
    mainButton.hidden = true;
    skipButton.hidden = true;
    say("Well done. Session finished. Now tell your therapist how it went.");
    if (logForm) {
      if (!logForm.querySelector("input[name=via]")) {
        var via = document.createElement("input");
        via.type = "hidden"; via.name = "via"; via.value = "player";
        logForm.appendChild(via);
      }
      items.forEach(function (node, index) {
        var box = logForm.querySelector("[data-log-item='" + node.getAttribute("data-item-id") + "']");
        if (box) box.checked = !!completed[index];  /* done: at least one set finished */
      });
      var heading = logForm.querySelector("h2, legend");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  }

  function toggleMute() {
    muted = !muted;
    if (muted && "speechSynthesis" in window) window.speechSynthesis.cancel();
    muteButton.setAttribute("aria-pressed", muted ? "true" : "false");
    muteButton.textContent = muted ? "Sound off" : "Sound on";
  }

  mainButton.addEventListener("click", main);
  skipButton.addEventListener("click", skip);
  muteButton.addEventListener("click", toggleMute);
  panel.addEventListener("keydown", function (event) {
    if (event.target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter")) return;
    if (event.key === " " || event.key === "Enter") { event.preventDefault(); main(); }
    else if (event.key === "s" || event.key === "S" || event.key === "ArrowRight") { event.preventDefault(); skip(); }
    else if (event.key === "m" || event.key === "M") { event.preventDefault(); toggleMute(); }
  });

  panel.hidden = false;
  skipButton.hidden = true;
  mainButton.textContent = "Start";
  timerEl.textContent = clock(steps[0].seconds || 0);
  nameEl.textContent = steps[0].name;
  progressEl.textContent = items.length + (items.length === 1 ? " exercise" : " exercises");
})();
