// The sample video page in a real browser: captions load, metadata loads over Range requests, the
// video plays, and the transcript is on the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite } from "./lib.mjs";

const site = useSite({ serverArgs: ["--exit-url", "/healthz"] });

const videos = [
  { path: "/resources/how-to-use-this-site", lang: "en", transcript: "Transcript", label: /English/ },
  { path: "/es/resources/como-usar-este-sitio", lang: "es", transcript: "Transcripción", label: /español/i },
];

for (const v of videos) {
  test(`video page (${v.lang}): default captions track loads, metadata loads, it plays, transcript shown`, async () => {
    const page = await site.newPage({ width: 375, height: 800 });
    const mediaStatuses = [];
    page.on("response", (r) => { if (/\/media\/.*\.webm$/.test(r.url())) mediaStatuses.push(r.status()); });
    try {
      await page.goto(site.base + v.path);
      const video = page.locator("main video");
      assert.equal(await video.count(), 1);
      assert.ok(await video.isVisible(), "the player is shown");
      const box = await video.boundingBox();
      assert.ok(box.width <= 375 && box.width > 300, `the player fits a phone screen (${box.width}px)`);

      const track = video.locator('track[kind="captions"]');
      assert.equal(await track.count(), 1, "a captions track");
      assert.equal(await track.evaluate((t) => t.default), true, "the captions track is on by default");
      assert.equal(await track.getAttribute("srclang"), v.lang);
      assert.match(await track.getAttribute("label"), v.label);

      // Captions: with the track showing, the browser fetches and parses the WebVTT file.
      const captions = await video.evaluate(async (el) => {
        const t = el.textTracks[0];
        t.mode = "showing";
        const trackEl = el.querySelector("track");
        const deadline = Date.now() + 10000;
        while ((trackEl.readyState !== 2 || !t.cues || t.cues.length === 0) && trackEl.readyState !== 3 &&
          Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        return { readyState: trackEl.readyState, kind: t.kind, language: t.language, cues: t.cues ? t.cues.length : 0,
          first: t.cues && t.cues.length ? t.cues[0].text : "" };
      });
      assert.equal(captions.readyState, 2, "the captions track loaded (HTMLTrackElement.LOADED)");
      assert.equal(captions.kind, "captions");
      assert.equal(captions.language, v.lang);
      assert.ok(captions.cues > 0, "the captions have cues");
      assert.ok(captions.first.trim().length > 0, "the first cue has text");

      // Metadata: preload="metadata" makes the browser fetch the head of the file (a Range request).
      const meta = await video.evaluate(async (el) => {
        const deadline = Date.now() + 10000;
        while (el.readyState < 1 && !el.error && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        return { readyState: el.readyState, duration: el.duration, error: el.error && el.error.message,
          w: el.videoWidth, h: el.videoHeight };
      });
      assert.equal(meta.error, null, "no media error");
      assert.ok(meta.readyState >= 1, "metadata loaded");
      assert.ok(Number.isFinite(meta.duration) && meta.duration > 0, `a duration (${meta.duration})`);
      assert.ok(meta.w > 0 && meta.h > 0, "video dimensions known");

      // Playback: Debian's Chromium decodes VP9 + Opus (the file's codecs), so this checks real
      // decoding, not just the container. Muted, so autoplay policy allows play().
      const play = await video.evaluate(async (el) => {
        const can = el.canPlayType('video/webm; codecs="vp9, opus"');
        el.muted = true;
        const start = el.currentTime;
        await el.play();
        const deadline = Date.now() + 10000;
        while (el.currentTime < start + 0.5 && !el.error && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        el.pause();
        return { can, start, now: el.currentTime, error: el.error && el.error.message };
      });
      assert.notEqual(play.can, "", "the browser can play WebM VP9/Opus");
      assert.equal(play.error, null);
      assert.ok(play.now >= play.start + 0.5, `playback advances (${play.start} → ${play.now})`);
      // Chromium asks for media with Range headers; the server answers them with 206.
      assert.ok(mediaStatuses.includes(206) && mediaStatuses.every((s) => s === 200 || s === 206),
        `the video was fetched with Range requests (statuses ${mediaStatuses.join(",")})`);

      // Transcript: a heading, then text, for people who cannot or would rather not watch.
      const heading = page.getByRole("heading", { name: v.transcript, exact: true });
      assert.ok(await heading.isVisible(), "a transcript heading");
      const after = await heading.evaluate((h) => (h.nextElementSibling ? h.nextElementSibling.textContent : "").trim());
      assert.ok(after.length > 40, "the transcript has text after its heading");
    } finally {
      await page.close();
    }
  });
}
