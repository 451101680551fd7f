// "Leave this page quickly": replaces the current page in the tab's history with
// a neutral website, so pressing Back does not return to this page. Without
// JavaScript the control is an ordinary link to the same website.
//
// What it cannot do: a page cannot remove other entries from the tab's history, so
// portal pages opened before this one are still there (Back from the neutral site
// reaches the previous portal page). The footer says so and suggests private
// browsing; see docs/decisions/0008-quick-exit-replaces-only-the-current-page.md.
const EXIT_SELECTOR = '[data-quick-exit]'

function leave (url) {
  document.body.classList.add('portal-quick-exit--leaving')
  document.title = 'Loading'
  window.location.replace(url)
}

document.addEventListener('click', (event) => {
  const link = event.target.closest(EXIT_SELECTOR)
  if (!link) return
  event.preventDefault()
  leave(link.href)
})

// Pressing Shift three times in a row (within two seconds) also leaves. Any other key
// in between starts the count again, so typing capital letters in a form does not.
let shiftPresses = []
document.addEventListener('keyup', (event) => {
  if (event.key !== 'Shift') {
    shiftPresses = []
    return
  }
  const now = Date.now()
  shiftPresses = shiftPresses.filter((time) => now - time < 2000)
  shiftPresses.push(now)
  if (shiftPresses.length >= 3) {
    const link = document.querySelector(EXIT_SELECTOR)
    if (link) leave(link.href)
  }
})
