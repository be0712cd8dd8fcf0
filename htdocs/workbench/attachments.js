// htdocs/workbench/attachments.js: attachments in the message list: images open in a lightbox (larger, with the previous and next image of the conversation), and files carry an icon for their type.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, $ = WB.$, el = WB.el;

	// The type a file's icon shows, from its name's extension, else its MIME type.
	var KINDS = [
		['pdf', /^pdf$/, /pdf/],
		['doc', /^(docx?|odt|rtf|pages)$/, /word|opendocument\.text|rtf/],
		['sheet', /^(xlsx?|ods|csv|numbers)$/, /excel|spreadsheet|csv/],
		['slides', /^(pptx?|odp|key)$/, /powerpoint|presentation/],
		['archive', /^(zip|rar|7z|gz|tgz|tar|bz2|xz)$/, /zip|compressed|x-tar|x-7z|x-rar/],
		['audio', /^(mp3|wav|ogg|m4a|aac|flac|amr)$/, /^audio\//],
		['video', /^(mp4|mov|avi|mkv|webm)$/, /^video\//],
		['image', /^(png|jpe?g|gif|webp|bmp|svg|heic)$/, /^image\//],
		['text', /^(txt|log|md|json|xml)$/, /^text\//],
	];
	function fileKind(name, mime) {
		var m = /\.([A-Za-z0-9]{1,8})$/.exec(name || '');
		var ext = m ? m[1].toLowerCase() : '';
		for (var i = 0; i < KINDS.length; i++)
			if (ext && KINDS[i][1].test(ext))
				return { kind: KINDS[i][0], label: ext.toUpperCase() };
		for (var j = 0; j < KINDS.length; j++)
			if (mime && mime !== 'application/octet-stream' && KINDS[j][2].test(mime))
				return { kind: KINDS[j][0], label: ext ? ext.toUpperCase() : KINDS[j][0].toUpperCase() };
		return { kind: 'other', label: ext ? ext.toUpperCase() : t('lightbox.file') };
	}
	// The icon of an attachment {name, mime}: a coloured badge with its type, hidden from screen
	// readers (the link says the file's name).
	function fileIcon(att) {
		var k = fileKind(att.name, att.mime);
		var i = el('span', 'wb-fileicon wb-fileicon-' + k.kind, k.label.slice(0, 4));
		i.setAttribute('aria-hidden', 'true');
		i.setAttribute('data-kind', k.kind);
		return i;
	}

	// ---- the lightbox ----
	var box, img, caption, download, prev, next, current = null;

	function images() {
		return Array.prototype.slice.call($('wb-messages').querySelectorAll('img.wb-img'));
	}
	function show(target) {
		current = target;
		img.src = target.src;
		img.alt = target.alt;
		caption.textContent = target.alt || '';
		download.href = target.src;
		download.setAttribute('download', target.alt || 'image');
		var all = images(), i = all.indexOf(target);
		prev.disabled = i <= 0;
		next.disabled = i < 0 || i >= all.length - 1;
	}
	function step(d) {
		var all = images(), i = all.indexOf(current);
		if (i >= 0 && all[i + d])
			show(all[i + d]);
	}
	function open(target) {
		show(target);
		if (!box.open)
			box.showModal();
		$('wb-lightbox-close').focus();
	}
	function build() {
		box = el('dialog', 'wb-lightbox');
		box.id = 'wb-lightbox';
		box.setAttribute('aria-label', t('lightbox.title'));
		var bar = el('div', 'wb-lightbox-bar');
		caption = el('span', 'wb-lightbox-caption');
		download = el('a', 'wb-btn', t('workbench.download'));
		download.id = 'wb-lightbox-download';
		prev = WB.button('wb-lightbox-prev', '‹', function () { step(-1); });
		prev.setAttribute('aria-label', t('lightbox.prev'));
		next = WB.button('wb-lightbox-next', '›', function () { step(1); });
		next.setAttribute('aria-label', t('lightbox.next'));
		var close = WB.button('wb-lightbox-x', '×', function () { box.close(); });
		close.id = 'wb-lightbox-close';
		close.setAttribute('aria-label', t('lightbox.close'));
		bar.appendChild(caption);
		bar.appendChild(download);
		bar.appendChild(close);
		img = el('img', 'wb-lightbox-img');
		img.id = 'wb-lightbox-img';
		var stage = el('div', 'wb-lightbox-stage');
		stage.appendChild(prev);
		stage.appendChild(img);
		stage.appendChild(next);
		box.appendChild(bar);
		box.appendChild(stage);
		// A click on the backdrop (the dialog itself, outside its content) closes it.
		box.addEventListener('click', function (e) {
			if (e.target === box || e.target === stage)
				box.close();
		});
		box.addEventListener('keydown', function (e) {
			if (e.key === 'ArrowLeft')
				step(-1);
			else if (e.key === 'ArrowRight')
				step(1);
		});
		box.addEventListener('close', function () {
			if (current && current.parentNode)
				current.parentNode.focus();
			img.removeAttribute('src');
		});
		document.body.appendChild(box);
	}
	build();

	// An image's link (keyboard or click) opens the lightbox; a modified click still opens a tab.
	$('wb-messages').addEventListener('click', function (e) {
		var target = e.target.closest ? e.target.closest('a') : null;
		var im = target && target.querySelector('img.wb-img');
		if (!im || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0)
			return;
		e.preventDefault();
		open(im);
	});

	WB.fileIcon = fileIcon;
	WB.fileKind = fileKind;
})();
