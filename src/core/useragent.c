/* useragent: browser, operating system and device class from a User-Agent header, by a table of tokens.
 *
 * The tables are ordered: the first row whose token occurs wins. Browsers
 * built on another copy its tokens (Edge and Opera carry "Chrome/" and
 * "Safari/", Chrome carries "Safari/", WeChat on Android may carry
 * "MQQBrowser/"), so the more specific rows come first. */
#include "core/useragent.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A browser: the token that identifies it and the one its version follows
 * (NULL: the same token). */
struct ua_browser {
	const char *token;
	const char *name;
	const char *version_after;
};

static const struct ua_browser browsers[] = {
    /* in-app and regional browsers first: they carry Chrome's or Safari's tokens */
    {"MicroMessenger/", "WeChat", NULL},
    {"MQQBrowser/", "QQ Browser", NULL},
    {"QQBrowser/", "QQ Browser", NULL},
    {"UCBrowser/", "UC Browser", NULL},
    {"UCWEB/", "UC Browser", NULL},
    {"SamsungBrowser/", "Samsung Internet", NULL},
    {"Edg/", "Edge", NULL},
    {"EdgA/", "Edge", NULL},
    {"EdgiOS/", "Edge", NULL},
    {"Edge/", "Edge", NULL}, /* EdgeHTML, before Chromium */
    {"OPR/", "Opera", NULL},
    {"OPiOS/", "Opera", NULL},
    {"OPT/", "Opera", NULL},         /* Opera Touch */
    {"Opera/", "Opera", "Version/"}, /* Presto: "Opera/9.80 ... Version/12.16" */
    {"Opera ", "Opera", NULL},
    {"FxiOS/", "Firefox", NULL},
    {"Firefox/", "Firefox", NULL},
    {"CriOS/", "Chrome", NULL},
    /* automation (Playwright's headless shell, Puppeteer) is Chrome to the visitor list */
    {"HeadlessChrome/", "Chrome", NULL},
    {"Chrome/", "Chrome", NULL},
    {"MSIE ", "Internet Explorer", NULL},
    {"Trident/", "Internet Explorer", "rv:"}, /* IE 11 dropped "MSIE" */
    {"Version/", "Safari", NULL},             /* checked only with "Safari/" or an Apple OS, see below */
};

/* Crawlers and scripted clients, matched without regard to case. The named
 * ones first; the generic words catch the long tail ("...bot/1.0"). */
static const struct ua_browser bots[] = {
    {"Googlebot", "Googlebot", "Googlebot/"},
    {"bingbot", "Bingbot", "bingbot/"},
    {"Baiduspider", "Baiduspider", "Baiduspider/"},
    {"YandexBot", "YandexBot", "YandexBot/"},
    {"DuckDuckBot", "DuckDuckBot", "DuckDuckBot/"},
    {"Yahoo! Slurp", "Yahoo Slurp", ""},
    {"Sogou", "Sogou Spider", ""},
    {"Bytespider", "Bytespider", ""},
    {"PetalBot", "PetalBot", ""},
    {"Applebot", "Applebot", "Applebot/"},
    {"facebookexternalhit", "Facebook", "facebookexternalhit/"},
    {"Twitterbot", "Twitterbot", "Twitterbot/"},
    {"Slackbot", "Slackbot", ""},
    {"Discordbot", "Discordbot", "Discordbot/"},
    {"TelegramBot", "TelegramBot", ""},
    {"WhatsApp/", "WhatsApp", NULL},
    {"LinkedInBot", "LinkedInBot", "LinkedInBot/"},
    {"AhrefsBot", "AhrefsBot", "AhrefsBot/"},
    {"SemrushBot", "SemrushBot", "SemrushBot/"},
    {"GPTBot", "GPTBot", "GPTBot/"},
    {"curl/", "curl", NULL},
    {"Wget/", "Wget", NULL},
    {"python-requests/", "python-requests", NULL},
    {"Go-http-client/", "Go-http-client", NULL},
    /* not a bare "bot": phones are sold as CUBOT */
    {"bot/", "Bot", ""},
    {"bot;", "Bot", ""},
    {"bot)", "Bot", ""},
    {"crawler", "Bot", ""},
    {"spider", "Bot", ""},
    {"+http", "Bot", ""}, /* a crawler's contact address; no browser sends one */
};

/* An operating system: its token and the device it implies when the UA says
 * nothing more (Android: "Mobile" makes a phone, its absence a tablet). */
struct ua_os {
	const char *token;
	const char *name;
	enum ua_device device;
};

static const struct ua_os systems[] = {
    /* iOS devices say "like Mac OS X": before macOS */
    {"iPad", "iPadOS", UA_TABLET},
    {"iPhone", "iOS", UA_MOBILE},
    {"iPod", "iOS", UA_MOBILE},
    {"CrOS", "ChromeOS", UA_DESKTOP},
    /* Android says "Linux": before Linux */
    {"Android", "Android", UA_TABLET},
    {"Windows Phone", "Windows", UA_MOBILE},
    {"Windows", "Windows", UA_DESKTOP},
    {"Win64", "Windows", UA_DESKTOP},
    {"WinNT", "Windows", UA_DESKTOP},
    /* iPadOS 13+ asks for desktop sites with a Macintosh UA: from the UA alone it is a Mac */
    {"Macintosh", "macOS", UA_DESKTOP},
    {"Mac OS X", "macOS", UA_DESKTOP},
    {"Linux", "Linux", UA_DESKTOP},
    {"X11", "Linux", UA_DESKTOP},
};

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* The version at p: digits and at most one dot, so "major.minor" ("120.0.6099.109" gives "120.0"). */
static void version_at(const char *p, char *out, size_t size)
{
	size_t n = 0;
	int dots = 0;
	while (n + 1 < size && ((*p >= '0' && *p <= '9') || *p == '.')) {
		if (*p == '.' && (n == 0 || ++dots > 1 || !(p[1] >= '0' && p[1] <= '9')))
			break;
		out[n++] = *p++;
	}
	if (n > 0 && out[n - 1] == '.') /* cut short by the field's size */
		n--;
	out[n] = '\0';
}

/* The version following token in ua ("" when the token is absent or no digits follow). */
static void version_after(const char *ua, const char *token, bool icase, char *out, size_t size)
{
	const char *p = icase ? strcasestr(ua, token) : strstr(ua, token);
	if (p == NULL) {
		out[0] = '\0';
		return;
	}
	version_at(p + strlen(token), out, size);
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether token occurs in ua without regard to (ASCII) case; low: ua lowered, or NULL. */
static bool contains_icase(const char *ua, const char *low, const char *token)
{
	char t[64];
	size_t n = strlen(token);
	if (low == NULL || n >= sizeof t)
		return strcasestr(ua, token) != NULL;
	for (size_t i = 0; i <= n; i++)
		t[i] = ascii_lower(token[i]);
	return strstr(low, t) != NULL;
}

static const struct ua_browser *find_browser(const char *ua, const struct useragent *out)
{
	for (size_t i = 0; i < sizeof browsers / sizeof browsers[0]; i++) {
		const struct ua_browser *b = &browsers[i];
		if (strstr(ua, b->token) == NULL)
			continue;
		/* "Version/" is Safari's only on WebKit ("Version/4.0" is also Android's stock browser, which is
		 * caught by "Chrome/" first on every Android since 4.4) */
		if (strcmp(b->name, "Safari") == 0 && strstr(ua, "Safari/") == NULL && strcmp(out->os, "iOS") != 0 &&
		    strcmp(out->os, "iPadOS") != 0)
			continue;
		return b;
	}
	return NULL;
}

void useragent_parse(const char *ua, struct useragent *out)
{
	copy(out->browser, sizeof out->browser, "Other");
	out->version[0] = '\0';
	copy(out->os, sizeof out->os, "Other");
	out->device = UA_DESKTOP;
	out->bot = false;
	if (ua == NULL || *ua == '\0')
		return;

	for (size_t i = 0; i < sizeof systems / sizeof systems[0]; i++) {
		if (strstr(ua, systems[i].token) != NULL) {
			copy(out->os, sizeof out->os, systems[i].name);
			out->device = systems[i].device;
			break;
		}
	}
	/* "Mobi" is the token browsers agree marks a phone (Mozilla's advice to sites); an Android tablet omits it */
	if (out->device != UA_TABLET || strcmp(out->os, "Android") == 0) {
		if (strstr(ua, "Mobi") != NULL)
			out->device = UA_MOBILE;
	}
	if (strstr(ua, "Tablet") != NULL && out->device == UA_MOBILE && strcmp(out->os, "iOS") != 0)
		out->device = UA_TABLET;

	const struct ua_browser *b = find_browser(ua, out);
	if (b != NULL) {
		copy(out->browser, sizeof out->browser, b->name);
		version_after(ua, b->version_after ? b->version_after : b->token, false, out->version,
		              sizeof out->version);
	}
	/* a crawler may pose as Chrome ("... Chrome/W.X.Y.Z Safari/537.36 (compatible; Googlebot/2.1)"): the bot
	 * table has the last word. Its thirty tokens are looked for in the UA lowered once: strcasestr sets its
	 * search up anew at each call, and with a browser's UA, which matches none, the parse was 3.5 % of a
	 * worker's time at 20,000 browsing visitors, most of it there (perf). */
	char low[1024];
	size_t n = strlen(ua);
	bool lowered = n < sizeof low;
	for (size_t i = 0; lowered && i <= n; i++)
		low[i] = ascii_lower(ua[i]);
	for (size_t i = 0; i < sizeof bots / sizeof bots[0]; i++) {
		const struct ua_browser *k = &bots[i];
		if (!contains_icase(ua, lowered ? low : NULL, k->token))
			continue;
		out->bot = true;
		copy(out->browser, sizeof out->browser, k->name);
		if (k->version_after != NULL && *k->version_after == '\0')
			out->version[0] = '\0';
		else
			version_after(ua, k->version_after ? k->version_after : k->token, true, out->version,
			              sizeof out->version);
		out->device = strcasestr(ua, "Mobi") != NULL ? UA_MOBILE : UA_DESKTOP;
		break;
	}
}

const char *useragent_device_name(enum ua_device d)
{
	switch (d) {
	case UA_MOBILE: return "mobile";
	case UA_TABLET: return "tablet";
	case UA_DESKTOP: break;
	}
	return "desktop";
}
