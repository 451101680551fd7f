// Two fixes to Django's admin pages, for screen readers and keyboards.
//
// 1. Names the admin's search-as-you-type boxes (select2, from autocomplete_fields).
// select2 hides the real <select> and draws its own box, named only by the option chosen (so an
// empty box has no name at all). This names each box after the <select>'s label (or its
// aria-label, given to boxes in inline tables by common/admin_labels.py), followed by the option
// chosen. Boxes appear after the page loads and when a row is added, so new ones are watched for.
//
// 2. Lets the keyboard reach a table of inline rows that scrolls sideways (on a phone): one with
// nothing to tab to inside (read-only rows) becomes a focusable region named by its heading.
'use strict'
{
  const nameOf = (select) => {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`)
    if (label) {
      if (!label.id) label.id = `${select.id}-label`
      return label.id
    }
    const text = select.getAttribute('aria-label')
    if (!text) return null
    const id = `${select.id || select.name}-name`
    if (!document.getElementById(id)) {
      const span = document.createElement('span')
      span.id = id
      span.hidden = true
      span.textContent = text
      select.after(span)
    }
    return id
  }

  const name = (container) => {
    const select = container.previousElementSibling
    if (!select || select.tagName !== 'SELECT') return
    const nameId = nameOf(select)
    if (!nameId) return
    const box = container.querySelector('.select2-selection')
    if (box) {
      const shown = container.querySelector('.select2-selection__rendered')
      const ids = [nameId, shown && shown.id].filter(Boolean).join(' ')
      if (box.getAttribute('aria-labelledby') !== ids) box.setAttribute('aria-labelledby', ids)
      // The text select2 shows inside the box says "textbox" to screen readers: with nothing
      // chosen it has no words of its own, so it is named after the field too.
      if (shown && shown.getAttribute('role') === 'textbox' && shown.getAttribute('aria-labelledby') !== nameId) {
        shown.setAttribute('aria-labelledby', nameId)
      }
    }
    const search = container.querySelector('.select2-search__field')
    if (search && !search.hasAttribute('aria-labelledby')) search.setAttribute('aria-labelledby', nameId)
  }

  const nameAll = (root) => {
    if (root.matches && root.matches('.select2-container')) name(root)
    if (root.querySelectorAll) root.querySelectorAll('.select2-container').forEach(name)
  }

  const letKeyboardScroll = () => {
    document.querySelectorAll('.inline-group').forEach((group) => {
      const scrolls = group.scrollWidth > group.clientWidth
      const focusable = group.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')
      if (scrolls && !focusable) {
        const heading = group.querySelector('h2[id]')
        group.tabIndex = 0
        group.setAttribute('role', 'region')
        if (heading) group.setAttribute('aria-labelledby', heading.id)
      } else if (group.getAttribute('role') === 'region' && !scrolls) {
        group.removeAttribute('tabindex')
        group.removeAttribute('role')
        group.removeAttribute('aria-labelledby')
      }
    })
  }

  new MutationObserver((changes) => {
    for (const change of changes) change.addedNodes.forEach(nameAll)
  }).observe(document.documentElement, { childList: true, subtree: true })
  document.addEventListener('DOMContentLoaded', () => {
    nameAll(document)
    letKeyboardScroll()
  })
  window.addEventListener('resize', letKeyboardScroll)
}
