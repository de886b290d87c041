// Puppeteer must not download its own Chrome: the machines reach only npm and Debian,
// so the tests drive Debian's /usr/bin/chromium and /usr/bin/firefox-esr instead.
module.exports = { skipDownload: true };
