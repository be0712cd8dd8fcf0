// htdocs/widget/panel.js: the panel's layout: header, banner, message list, composer elements, the channel's theme, notes in the list.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';
	var clip = W.clip, readable = W.readable, EMOJI = W.EMOJI, app = W.app;

	function build() {
		ui.name = h('div', { class: 'k-name', text: t('title') });
		ui.agent = h('div', { class: 'k-agent', 'aria-live': 'polite' });
		ui.closeBtn = h('button', { type: 'button', class: 'k-icon k-x', 'aria-label': t('close'), title: t('close'), onclick: hide }, ['×']);
		ui.header = h('header', { class: 'k-head' }, [h('div', { class: 'k-titles' }, [ui.name, ui.agent]), ui.closeBtn]);
		ui.banner = h('div', { class: 'k-banner', role: 'status', 'aria-live': 'polite', hidden: true });
		// Offered while waiting (queued) or when nobody can chat: the rule's leave-a-message form.
		ui.leaveBtn = h('button', { type: 'button', class: 'k-link', onclick: function () { W.openLeave(true); } }, [t('leave')]);
		ui.leaveBar = h('div', { class: 'k-leavebar', hidden: true }, [ui.leaveBtn]);
		ui.list = h('ol', { class: 'k-list', 'aria-label': t('title') });
		// New messages from the agent are read out through this polite region, not the list,
		// which would read the whole history aloud when it loads.
		ui.live = h('div', { class: 'k-sr', id: 'k-live', role: 'status', 'aria-live': 'polite' });
		ui.body = h('div', { class: 'k-body' }, [ui.list]);
		ui.text = h('textarea', { class: 'k-text', rows: 1, 'aria-label': t('placeholder'), placeholder: t('placeholder'), 'aria-describedby': 'k-hint', onkeydown: W.onKey });
		// The keyboard hint, on its own line: shown where there is a keyboard and room (widget.css hides it on touch screens and narrow panels).
		ui.hint = h('div', { class: 'k-hint', id: 'k-hint', text: t('hint') });
		ui.emojiBtn = h('button', { type: 'button', class: 'k-icon', 'aria-label': t('emoji'), title: t('emoji'), 'aria-expanded': 'false', onclick: W.toggleEmoji }, ['😊']);
		ui.file = h('input', { type: 'file', class: 'k-file', tabindex: '-1', 'aria-hidden': 'true', onchange: W.onFile });
		ui.attachBtn = h('button', { type: 'button', class: 'k-icon', 'aria-label': t('attach'), title: t('attach'), onclick: function () { ui.file.click(); } }, [clip()]);
		ui.sendBtn = h('button', { type: 'button', class: 'k-send', onclick: W.sendText }, [t('send')]);
		ui.emoji = h('div', { class: 'k-emoji', role: 'listbox', 'aria-label': t('emoji'), hidden: true },
			EMOJI.map(function (e) { return h('button', { type: 'button', role: 'option', class: 'k-e', 'aria-label': e, onclick: function () { W.insert(e); } }, [e]); }));
		// Hidden until boot knows who the visitor is and what comes first (a
		// form, a choice, a resumed conversation): a message typed before the
		// registration is answered would have no token to go with.
		ui.composer = h('footer', { class: 'k-compose', hidden: true }, [ui.emoji, h('div', { class: 'k-tools' }, [ui.emojiBtn, ui.attachBtn, ui.file]), h('div', { class: 'k-row' }, [ui.text, ui.sendBtn]), ui.hint]);
		ui.panel = h('div', { class: 'k-panel' }, [ui.header, ui.banner, ui.leaveBar, ui.body, ui.live, ui.composer]);
		app.textContent = '';
		app.appendChild(ui.panel);
		document.addEventListener('keydown', function (e) {
			if (e.key === 'Escape') {
				if (!ui.emoji.hidden) { W.toggleEmoji(); ui.emojiBtn.focus(); } else hide();
			}
		});
	}

	function hide() { tell({ type: 'close' }); S.open = false; emit('panel.close'); }

	function banner(text, kind) {
		ui.banner.hidden = !text;
		ui.banner.className = 'k-banner' + (kind ? ' k-' + kind : '');
		ui.banner.textContent = text || '';
	}

	function scroll() { ui.body.scrollTop = ui.body.scrollHeight; }

	// queue_position 1 is next in line: nobody ahead.
	function queueBanner(pos) {
		var n = typeof pos === 'number' && pos > 0 ? pos : null;
		banner(t('queued', { n: n || '?', ahead: n ? n - 1 : '?' }), 'queue');
		if (n) ui.banner.setAttribute('data-position', String(n));
	}

	function leaveOffer() {
		var on = !!(S.channel && S.channel.leave_message) && !S.left && !S.leaveForm;
		ui.leaveBar.hidden = !on;
	}

	function applyChannel(ch) {
		S.channel = ch;
		var c = readable(ch.style && /^#[0-9a-f]{6}$/i.test(ch.style.theme_color) ? ch.style.theme_color : '#0b5ed7');
		document.documentElement.style.setProperty('--kefu-theme', c);
		ui.name.textContent = ch.name || t('title');
		document.title = ch.name || t('title');
	}

	function setComposer(on) {
		ui.composer.hidden = !on;
	}

	function note(text, kind) {
		ui.list.appendChild(h('li', { class: 'k-note' + (kind ? ' k-' + kind : ''), text: text }));
		scroll();
	}

	function focusFirst(el) {
		var f = el.querySelector('input,select,textarea,button');
		if (f) f.focus();
	}

	Object.assign(W, {
		build: build, hide: hide, banner: banner, scroll: scroll, queueBanner: queueBanner, leaveOffer: leaveOffer,
		applyChannel: applyChannel, setComposer: setComposer, note: note, focusFirst: focusFirst
	});
});
