/*
 * Drag an appointment to move it, in the calendar's day and week views (issue 15, item 9).
 *
 * A mouse or pen press on a block the member may move (data-movable) that travels a few pixels
 * becomes a drag: a dashed outline follows, snapped to 5 minutes, in the column under the pointer
 * (a practitioner in the day view, a day in the week view). Dropping it posts the panel's own Move
 * form fields (date, time, practitioner, and the version the page showed) to the existing move
 * endpoint through htmx, into the side panel: on success the panel shows the moved appointment
 * and the answer's HX-Trigger (`calendar-changed`) reloads the grid; a refused move shows why in
 * the panel and nothing moves (the block stays, or shows where someone else just put it, as the
 * reloaded grid has it). The block is never moved here, only redrawn from the server's answer.
 * Escape cancels a drag.
 * Touch keeps scrolling the grid; the Move form in the panel does the same from the keyboard.
 * Listeners sit on the document, so they keep working after the grid is reloaded.
 */
(() => {
  const SNAP_MIN = 5;
  const ROW_MIN = 15;
  const THRESHOLD_PX = 6;
  /** The press or drag under way: null, or what it started from and where it would drop. */
  let drag = null;

  const hhmm = (min) =>
    `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

  /** The practitioner column (header cell) whose left and right edges hold x. */
  const columnAt = (table, x) =>
    [...table.querySelectorAll('thead th[data-practitioner]')].find((th) => {
      const r = th.getBoundingClientRect();
      return x >= r.left && x < r.right;
    });

  /** The local time at height y on the grid's axis (rows of 15 minutes), snapped; and its y. */
  function timeAt(table, y) {
    const rows = [...table.querySelectorAll('tbody tr[data-min]')];
    if (!rows.length) return null;
    const first = rows[0].getBoundingClientRect();
    const last = rows[rows.length - 1].getBoundingClientRect();
    const pitch = rows.length > 1 ? (last.top - first.top) / (rows.length - 1) : first.height;
    const fromMin = Number(rows[0].dataset.min);
    const toMin = Number(rows[rows.length - 1].dataset.min) + ROW_MIN;
    const raw = fromMin + ((y - first.top) / pitch) * ROW_MIN;
    const minute = Math.min(Math.max(Math.round(raw / SNAP_MIN) * SNAP_MIN, fromMin), toMin - SNAP_MIN);
    return { minute, y: first.top + ((minute - fromMin) / ROW_MIN) * pitch, pitch };
  }

  /** Where the block would go with its top edge at `top` and the pointer at x. */
  function dropAt(x, top) {
    const column = columnAt(drag.table, x);
    const time = timeAt(drag.table, top);
    if (!column || !time) return null;
    return {
      practitionerId: column.dataset.practitioner,
      date: column.dataset.date,
      time: hhmm(time.minute),
      allowed: column.hasAttribute('data-bookable'),
      label: column.dataset.label || '',
      box: column.getBoundingClientRect(),
      y: time.y,
      height: (Number(drag.block.dataset.minutes) / ROW_MIN) * time.pitch,
    };
  }

  function start(e) {
    const block = drag.block;
    drag.started = true;
    block.classList.add('dragging');
    const ghost = document.createElement('div');
    ghost.className = 'drag-ghost';
    ghost.setAttribute('aria-hidden', 'true');
    document.body.append(ghost);
    drag.ghost = ghost;
    drag.grabY = drag.startY - block.getBoundingClientRect().top;
    move(e);
  }

  function move(e) {
    const target = dropAt(e.clientX, e.clientY - drag.grabY);
    drag.target = target;
    const ghost = drag.ghost;
    ghost.hidden = !target;
    if (!target) return;
    // Set through the CSSOM: the CSP forbids style attributes, not this.
    ghost.style.left = `${target.box.left + 2}px`;
    ghost.style.width = `${target.box.width - 4}px`;
    ghost.style.top = `${target.y}px`;
    ghost.style.height = `${Math.max(target.height, 18)}px`;
    ghost.classList.toggle('refused', !target.allowed);
    ghost.textContent = target.allowed
      ? `${target.time} · ${target.label}`
      : `Not your calendar: ${target.label}`;
  }

  function end() {
    if (!drag) return;
    drag.block.classList.remove('dragging');
    drag.ghost?.remove();
    drag = null;
  }

  /** Posts the move as the panel's Move form would, the answer into the panel. */
  async function send(block, target, csrf) {
    const panel = document.getElementById('panel');
    const id = block.id.replace(/^appt-/, '');
    let status = 0;
    const seen = (e) => {
      status = e.detail?.ctx?.response?.status ?? status;
    };
    panel.addEventListener('htmx:after:request', seen, { once: true });
    block.classList.add('moving');
    try {
      await window.htmx.ajax('POST', `/staff/appointments/${id}/move`, {
        source: panel,
        target: panel,
        values: {
          _csrf: csrf,
          version: block.dataset.version,
          date: target.date,
          time: target.time,
          practitionerId: target.practitionerId,
        },
      });
    } finally {
      panel.removeEventListener('htmx:after:request', seen);
      // Refused (or failed): nothing moved. Moved: the grid reloads and redraws it.
      if (status === 0 || status >= 400) block.classList.remove('moving');
    }
  }

  document.addEventListener('pointerdown', (e) => {
    if (drag || e.button !== 0 || e.pointerType === 'touch') return;
    const block = e.target.closest?.('table.calendar a.appt[data-movable]');
    if (!block) return;
    const table = block.closest('table.calendar');
    drag = {
      block,
      table,
      // The column it is in now: a drop there at the same time changes nothing.
      origin: columnAt(table, block.getBoundingClientRect().left + 1),
      pointerId: e.pointerId,
      startX: e.clientX,
      startY: e.clientY,
      started: false,
    };
  });

  document.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    if (!drag.started) {
      if (Math.hypot(e.clientX - drag.startX, e.clientY - drag.startY) < THRESHOLD_PX) return;
      start(e);
    } else move(e);
    e.preventDefault();
  });

  document.addEventListener('pointerup', (e) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const { started, block, target, table, origin } = drag;
    end();
    if (!started) return;
    // The click that follows a drag must not open the panel as a plain click would.
    const swallow = (c) => {
      c.preventDefault();
      c.stopImmediatePropagation();
    };
    window.addEventListener('click', swallow, { capture: true, once: true });
    setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
    if (!target?.allowed) return;
    const unchanged =
      origin &&
      target.practitionerId === origin.dataset.practitioner &&
      target.date === origin.dataset.date &&
      target.time === block.querySelector('strong')?.textContent;
    if (unchanged) return;
    send(block, target, table.dataset.csrf);
  });

  document.addEventListener('pointercancel', end);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && drag?.started) {
      e.preventDefault();
      end();
    }
  });
})();
