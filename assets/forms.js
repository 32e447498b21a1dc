// Progressive enhancement of the forms engine (src/kernel/forms): a field whose condition depends on an
// answer on the same page is hidden or shown as the person answers. Without this script such fields are
// shown with their condition written out, and the server ignores the answers of fields that do not apply.
(() => {
  const form = document.querySelector('form.form-step');
  if (!form) return;

  const answer = (name) => {
    const inputs = [...form.querySelectorAll(`[name="${CSS.escape(name)}"]`)].filter((i) => !i.closest('[hidden]'));
    if (inputs.length === 0) return undefined;
    const values = inputs
      .filter((i) => (i.type === 'radio' || i.type === 'checkbox' ? i.checked : true))
      .map((i) => i.value.trim())
      .filter((v) => v !== '');
    return inputs[0].type === 'checkbox' ? values : (values[0] ?? '');
  };

  const holds = (condition, prefix) => {
    if (condition.all) return condition.all.every((c) => holds(c, prefix));
    if (condition.any) return condition.any.some((c) => holds(c, prefix));
    const given = (prefix ? answer(prefix + condition.field) : undefined) ?? answer(condition.field);
    // A field of an earlier step is not on the page: the server has already decided it.
    if (given === undefined) return true;
    const empty = given === '' || (Array.isArray(given) && given.length === 0);
    if (condition.op === 'empty') return empty;
    if (condition.op === 'notEmpty') return !empty;
    if (condition.op === 'includes') return Array.isArray(given) && given.includes(condition.value);
    if (empty) return condition.op === 'ne';
    const expected = condition.value;
    let actual = given;
    if (typeof expected === 'boolean') actual = given === 'yes';
    else if (typeof expected === 'number') actual = Number(String(given).replace(/\s/g, '').replace(',', '.'));
    if (typeof actual === 'number' && Number.isNaN(actual)) return false;
    switch (condition.op) {
      case 'eq':
        return actual === expected;
      case 'ne':
        return actual !== expected;
      case 'lt':
        return actual < expected;
      case 'le':
        return actual <= expected;
      case 'gt':
        return actual > expected;
      case 'ge':
        return actual >= expected;
      default:
        return true;
    }
  };

  const update = () => {
    for (const element of form.querySelectorAll('[data-when]')) {
      element.hidden = !holds(JSON.parse(element.dataset.when), element.dataset.prefix ?? '');
    }
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
})();
