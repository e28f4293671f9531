/* Accessibility repairs for Dash 4.4 core components, applied as the page renders.
 *
 * - dcc.Dropdown focuses a read-only <input aria-hidden="true"> (a focusable hidden element:
 *   screen readers announce nothing) and names its button by its value only. We expose the
 *   focus target as a combobox named by the field's <label> plus the current value.
 * - dcc.RadioItems renders role="listbox" with role="option" labels wrapping native radios
 *   (nested interactive controls). We restore plain radios in a radiogroup named by the
 *   enclosing <legend>.
 * The axe-core browser test (tests/browser) fails if any of these regress.
 */
(function () {
  // set only when different: every write is an attribute mutation the observer would see again
  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  function labelIdFor(el) {
    var group = el.closest('[role="group"][aria-labelledby]');
    return group ? group.getAttribute('aria-labelledby') : null;
  }

  function repairDropdowns(root) {
    root.querySelectorAll('.dash-dropdown-wrapper').forEach(function (wrapper) {
      var target = wrapper.querySelector('.dash-dropdown-focus-target');
      var button = wrapper.querySelector('button.dash-dropdown');
      if (!target || !button) { return; }
      var labelId = labelIdFor(wrapper);
      var names = [labelId, button.id + '-value'].filter(Boolean).join(' ');
      if (target.getAttribute('aria-hidden') === 'true') { target.removeAttribute('aria-hidden'); }
      setAttr(target, 'role', 'combobox');
      setAttr(target, 'aria-haspopup', 'listbox');
      setAttr(target, 'aria-expanded', button.getAttribute('aria-expanded') || 'false');
      if (names) { setAttr(target, 'aria-labelledby', names); }
      var current = button.getAttribute('aria-labelledby') || '';
      if (labelId && current.indexOf(labelId) !== 0) {
        setAttr(button, 'aria-labelledby', (labelId + ' ' + current).trim());
      }
    });
  }

  function repairRadios(root) {
    root.querySelectorAll('.dash-radioitems[role="listbox"]').forEach(function (list) {
      setAttr(list, 'role', 'radiogroup');
      var legend = list.closest('fieldset') && list.closest('fieldset').querySelector('legend');
      if (legend) {
        if (!legend.id) { legend.id = list.id + '-legend'; }
        setAttr(list, 'aria-labelledby', legend.id);
      }
    });
    root.querySelectorAll('.dash-radioitems label[role="option"]').forEach(function (label) {
      label.removeAttribute('role');
      label.removeAttribute('aria-selected');
    });
  }

  function repair() {
    repairDropdowns(document);
    repairRadios(document);
  }

  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; repair(); });
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ['aria-expanded', 'role', 'aria-hidden']
  });
})();
