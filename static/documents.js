// Adding documents on the patient's chart (views/pages/staff/documents-section.tsx).
// - Files come from the picker or are dropped on the form; each waits in the queue with its own
//   title (the file's name until changed) and can be taken out before sending.
// - "Add documents" sends them one at a time (XMLHttpRequest, for the upload's progress): the
//   form's fields first, the file last, so the server streams the file without holding it; the
//   CSRF token goes in a header (the server does not read a streamed body for it).
// - A refused file (too large, a type the clinic does not keep) stays in the queue with the
//   reason; the others leave it once stored, and the list below is reloaded.
if (!window.clinicboxDocuments) {
  window.clinicboxDocuments = true;

  const megabytes = (bytes) =>
    bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

  /** The file's name without its extension: a first title. */
  const titleOf = (name) => name.replace(/\.[^.]{1,5}$/, '').slice(0, 200) || name.slice(0, 200);

  const setup = (form) => {
    if (form.dataset.ready) return;
    form.dataset.ready = 'true';
    const input = form.querySelector('input[type="file"]');
    const zone = form.querySelector('[data-dropzone]');
    const queueList = form.querySelector('[data-queue]');
    const errorLine = form.querySelector('[data-upload-error]');
    const statusLine = form.querySelector('[data-upload-status]');
    const button = form.querySelector('[data-upload-button]');
    const maxBytes = Number(form.dataset.maxBytes);
    /** @type {{ file: File, item: HTMLLIElement, title: HTMLInputElement, bar: HTMLProgressElement, state: HTMLElement }[]} */
    let queue = [];
    let sending = false;
    let counter = 0;

    const say = (line, text) => {
      line.textContent = text;
      line.hidden = !text;
    };

    const add = (files) => {
      say(errorLine, '');
      for (const file of files) {
        counter += 1;
        const id = `upload-${counter}`;
        const item = document.createElement('li');
        item.className = 'upload-item';
        const name = document.createElement('span');
        name.className = 'upload-name';
        name.textContent = `${file.name} (${megabytes(file.size)})`;
        const field = document.createElement('span');
        field.className = 'field';
        const label = document.createElement('label');
        label.htmlFor = id;
        label.textContent = 'Title';
        const of = document.createElement('span');
        of.className = 'visually-hidden';
        of.textContent = ` of ${file.name}`;
        label.append(of);
        const title = document.createElement('input');
        title.id = id;
        title.maxLength = 200;
        title.required = true;
        title.value = titleOf(file.name);
        field.append(label, title);
        const bar = document.createElement('progress');
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute('aria-label', `Sending ${file.name}`);
        const state = document.createElement('span');
        state.className = 'upload-state';
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'link';
        remove.textContent = 'Remove';
        remove.setAttribute('aria-label', `Remove ${file.name}`);
        remove.addEventListener('click', () => {
          queue = queue.filter((q) => q.item !== item);
          item.remove();
          queueList.hidden = queue.length === 0;
        });
        item.append(name, field, bar, state, remove);
        queueList.append(item);
        const entry = { file, item, title, bar, state };
        if (file.size > maxBytes)
          refuse(entry, `Larger than ${Math.floor(maxBytes / 1048576)} MB: not sent.`);
        queue.push(entry);
      }
      queueList.hidden = queue.length === 0;
    };

    const refuse = (entry, reason) => {
      entry.item.classList.add('refused');
      entry.state.textContent = reason;
      entry.bar.value = 0;
    };

    /** Sends one file; resolves true when the server stored it. */
    const send = (entry) =>
      new Promise((resolve) => {
        const body = new FormData();
        for (const name of ['category', 'documentDate', 'appointmentId']) {
          body.append(name, form.elements.namedItem(name)?.value ?? '');
        }
        body.append(
          'sharedWithPatient',
          form.elements.namedItem('sharedWithPatient')?.checked ? 'true' : 'false',
        );
        body.append('title', entry.title.value.trim());
        body.append('file', entry.file, entry.file.name);
        const xhr = new XMLHttpRequest();
        xhr.open('POST', form.action);
        xhr.setRequestHeader('X-CSRF-Token', form.dataset.csrf);
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.upload.addEventListener('progress', (event) => {
          if (event.lengthComputable) entry.bar.value = Math.round((event.loaded / event.total) * 100);
        });
        xhr.addEventListener('load', () => {
          // Signed out meanwhile: the answer is the sign-in page the redirect led to.
          if (new URL(xhr.responseURL || form.action, location.href).pathname.startsWith('/staff/login')) {
            refuse(entry, 'Not added: you were signed out. Sign in again in another tab, then try again.');
            resolve(false);
            return;
          }
          if (xhr.status === 201) {
            entry.bar.value = 100;
            entry.state.textContent = 'Added';
            entry.item.classList.add('done');
            resolve(true);
            return;
          }
          let reason = `Not added (error ${xhr.status}).`;
          try {
            reason = JSON.parse(xhr.responseText).error.message || reason;
          } catch {}
          refuse(entry, reason);
          resolve(false);
        });
        xhr.addEventListener('error', () => {
          refuse(entry, 'Not added: the connection failed. Try again.');
          resolve(false);
        });
        entry.item.classList.remove('refused');
        entry.item.classList.add('sending');
        xhr.addEventListener('loadend', () => entry.item.classList.remove('sending'));
        entry.state.textContent = 'Sending…';
        xhr.send(body);
      });

    const reloadList = async () => {
      const list = document.getElementById('documents-list');
      if (!list) return;
      const response = await fetch(form.dataset.list, { headers: { 'HX-Request': 'true' } });
      if (!response.ok) return;
      list.outerHTML = await response.text();
      const fresh = document.getElementById('documents-list');
      if (fresh && window.htmx?.process) window.htmx.process(fresh);
    };

    input.addEventListener('change', () => {
      add(input.files);
      input.value = '';
    });
    for (const type of ['dragenter', 'dragover']) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add('over');
      });
    }
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('over');
      if (event.dataTransfer?.files?.length) add(event.dataTransfer.files);
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (sending) return;
      say(statusLine, '');
      const waiting = queue.filter((q) => q.file.size <= maxBytes);
      if (waiting.length === 0) {
        say(errorLine, 'Choose or drop at least one file first.');
        return;
      }
      if (!form.reportValidity()) return;
      say(errorLine, '');
      sending = true;
      button.disabled = true;
      let added = 0;
      for (const entry of waiting) {
        if (await send(entry)) {
          added += 1;
          queue = queue.filter((q) => q !== entry);
        }
      }
      sending = false;
      button.disabled = false;
      const left = waiting.length - added;
      say(
        statusLine,
        `${added} document${added === 1 ? '' : 's'} added.${left ? ` ${left} not added: see why above.` : ''}`,
      );
      // The stored ones leave the queue once the list shows them.
      await reloadList();
      for (const item of queueList.querySelectorAll('.done')) item.remove();
      queueList.hidden = queue.length === 0;
    });
  };

  for (const form of document.querySelectorAll('form[data-documents-upload]')) setup(form);

  // A file dropped beside the drop zone would open in place of the page (and lose the queue).
  if (document.querySelector('form[data-documents-upload]')) {
    for (const type of ['dragover', 'drop']) {
      window.addEventListener(type, (event) => {
        if (!event.target?.closest?.('[data-dropzone]')) event.preventDefault();
      });
    }
  }
}
