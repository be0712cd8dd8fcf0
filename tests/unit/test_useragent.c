/* test_useragent: browser, version, OS and device from real User-Agent strings (as browsers and crawlers sent them). */
#include <check.h>
#include <string.h>

#include "core/useragent.h"
#include "check-main.h"

struct ua_case {
	const char *ua;
	const char *browser, *version, *os, *device;
	bool bot;
};

static const struct ua_case cases[] = {
    /* Chrome */
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 "
     "Safari/537.36",
     "Chrome", "120.0", "Windows", "desktop", false},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
     "Safari/537.36",
     "Chrome", "119.0", "macOS", "desktop", false},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36", "Chrome",
     "118.0", "Linux", "desktop", false},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile "
     "Safari/537.36",
     "Chrome", "120.0", "Android", "mobile", false},
    {"Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 "
     "Safari/537.36",
     "Chrome", "116.0", "Android", "tablet", false},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
     "Chrome", "120.0", "iOS", "mobile", false},
    {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36",
     "Chrome", "120.0", "ChromeOS", "desktop", false},
    /* Playwright's headless shell: Chrome to the visitor list */
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 "
     "Safari/537.36",
     "Chrome", "131.0", "Linux", "desktop", false},
    /* Edge */
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 Edg/120.0.2210.61",
     "Edge", "120.0", "Windows", "desktop", false},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 "
     "Safari/537.36 Edge/18.19582",
     "Edge", "18.19582", "Windows", "desktop", false},
    {"Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile "
     "Safari/537.36 EdgA/120.0.2210.126",
     "Edge", "120.0", "Android", "mobile", false},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "EdgiOS/120.2210.126 Version/17.0 Mobile/15E148 Safari/604.1",
     "Edge", "120.2210", "iOS", "mobile", false},
    /* Firefox */
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox", "121.0", "Windows",
     "desktop", false},
    {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0", "Firefox", "115.0", "Linux",
     "desktop", false},
    {"Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0", "Firefox", "121.0", "Android", "mobile",
     false},
    {"Mozilla/5.0 (Android 4.4; Tablet; rv:41.0) Gecko/41.0 Firefox/41.0", "Firefox", "41.0", "Android", "tablet",
     false},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 "
     "Mobile/15E148 Safari/605.1.15",
     "Firefox", "121.0", "iOS", "mobile", false},
    /* Safari */
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
     "Safari/605.1.15",
     "Safari", "17.1", "macOS", "desktop", false},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.1.2 Mobile/15E148 Safari/604.1",
     "Safari", "17.1", "iOS", "mobile", false},
    {"Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 "
     "Mobile/15E148 Safari/604.1",
     "Safari", "16.6", "iPadOS", "tablet", false},
    /* Opera */
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
     "Safari/537.36 OPR/105.0.0.0",
     "Opera", "105.0", "Windows", "desktop", false},
    {"Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18", "Opera", "12.18", "Windows", "desktop", false},
    {"Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile "
     "Safari/537.36 OPR/79.1.4195.76505",
     "Opera", "79.1", "Android", "mobile", false},
    /* Samsung Internet */
    {"Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
     "Samsung Internet", "23.0", "Android", "mobile", false},
    {"Mozilla/5.0 (Linux; Android 12; SAMSUNG SM-T970) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/22.0 Chrome/111.0.5563.116 Safari/537.36",
     "Samsung Internet", "22.0", "Android", "tablet", false},
    /* WeChat (its Android build also says MQQBrowser) */
    {"Mozilla/5.0 (Linux; Android 12; V2049A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220805 Mobile Safari/537.36 MMWEBID/6170 "
     "MicroMessenger/8.0.27.2220(0x28001B3B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
     "WeChat", "8.0", "Android", "mobile", false},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/15E148 MicroMessenger/8.0.33(0x18002129) NetType/WIFI Language/zh_CN",
     "WeChat", "8.0", "iOS", "mobile", false},
    {"Mozilla/5.0 (Linux; Android 7.1.1; OPPO R11 Build/NMF26X; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/53.0.2785.49 Mobile MQQBrowser/6.2 TBS/043409 Safari/537.36 MicroMessenger/6.5.13.1100 "
     "NetType/WIFI Language/zh_CN",
     "WeChat", "6.5", "Android", "mobile", false},
    /* UC */
    {"Mozilla/5.0 (Linux; U; Android 10; zh-CN; V1990A Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36",
     "UC Browser", "13.4", "Android", "mobile", false},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X; zh-CN) AppleWebKit/537.51.1 (KHTML, like Gecko) "
     "Mobile/17C54 UCBrowser/12.8.2.1268 Mobile AliApp(TUnionSDK/0.1.20.3)",
     "UC Browser", "12.8", "iOS", "mobile", false},
    /* QQ Browser */
    {"Mozilla/5.0 (Linux; U; Android 11; zh-cn; PCAM00 Build/RKQ1.200903.002) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/89.0.4389.72 MQQBrowser/12.1 Mobile Safari/537.36",
     "QQ Browser", "12.1", "Android", "mobile", false},
    {"Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.25 "
     "Safari/537.36 Core/1.70.3861.400 QQBrowser/10.7.4313.400",
     "QQ Browser", "10.7", "Windows", "desktop", false},
    /* Internet Explorer */
    {"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", "Internet Explorer", "11.0", "Windows",
     "desktop", false},
    {"Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)", "Internet Explorer", "10.0", "Windows",
     "desktop", false},
    {"Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)", "Internet Explorer", "8.0", "Windows",
     "desktop", false},
    /* crawlers, link previewers, scripts */
    {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "2.1", "Other", "desktop",
     true},
    {"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.6099.129 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     "Googlebot", "2.1", "Android", "mobile", true},
    {"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) "
     "Chrome/116.0.1938.76 Safari/537.36",
     "Bingbot", "2.0", "Other", "desktop", true},
    {"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", "Baiduspider", "2.0",
     "Other", "desktop", true},
    {"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "Facebook", "1.1", "Other", "desktop",
     true},
    {"Mozilla/5.0 (compatible; SomeNewCrawler/0.3; +https://example.com/about)", "Bot", "", "Other", "desktop", true},
    {"curl/8.5.0", "curl", "8.5", "Other", "desktop", true},
    /* an Android phone sold as CUBOT is not a crawler */
    {"Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile "
     "Safari/537.36",
     "Chrome", "119.0", "Android", "mobile", false},
    /* nothing recognisable */
    {"", "Other", "", "Other", "desktop", false},
    {"Mozilla/5.0", "Other", "", "Other", "desktop", false},
    {"Lynx/2.8.9rel.1 libwww-FM/2.14 SSL-MM/1.4.1 OpenSSL/1.1.1d", "Other", "", "Other", "desktop", false},
};

START_TEST(real_user_agents)
{
	const struct ua_case *c = &cases[_i];
	struct useragent u;
	useragent_parse(c->ua, &u);
	ck_assert_msg(strcmp(u.browser, c->browser) == 0, "%s: browser '%s', want '%s'", c->ua, u.browser, c->browser);
	ck_assert_msg(strcmp(u.version, c->version) == 0, "%s: version '%s', want '%s'", c->ua, u.version, c->version);
	ck_assert_msg(strcmp(u.os, c->os) == 0, "%s: os '%s', want '%s'", c->ua, u.os, c->os);
	ck_assert_msg(strcmp(useragent_device_name(u.device), c->device) == 0, "%s: device '%s', want '%s'", c->ua,
	              useragent_device_name(u.device), c->device);
	ck_assert_msg(u.bot == c->bot, "%s: bot %d", c->ua, u.bot);
}
END_TEST

START_TEST(null_and_long_versions)
{
	struct useragent u;
	useragent_parse(NULL, &u);
	ck_assert_str_eq(u.browser, "Other");
	ck_assert_str_eq(u.os, "Other");
	/* a version longer than the field is cut, never overrun */
	useragent_parse("Mozilla/5.0 (X11; Linux x86_64) Chrome/12345678901234567890.1 Safari/537.36", &u);
	ck_assert_str_eq(u.browser, "Chrome");
	ck_assert_uint_eq(strlen(u.version), sizeof u.version - 1);
	/* a trailing dot is not part of the version */
	useragent_parse("Mozilla/5.0 (Windows NT 10.0) Firefox/99.", &u);
	ck_assert_str_eq(u.version, "99");
	/* nor a leading one, nor one left where the field cut the number short (both found by fuzz_useragent) */
	useragent_parse("Googlebot/.2.1", &u);
	ck_assert_str_eq(u.version, "");
	useragent_parse("M36 Edg/101004010100040.30", &u);
	ck_assert_str_eq(u.version, "101004010100040");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("useragent");
	TCase *tc = check_case(s, "parse", CHECK_TESTS(null_and_long_versions));
	tcase_add_loop_test(tc, real_user_agents, 0, (int)(sizeof cases / sizeof cases[0]));
	return check_run(s);
}
