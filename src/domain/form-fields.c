/* form-fields: answer checks shared by the pre-chat form (conversations.c) and the leave-message form (rules.c). */
#include "domain/form-fields.h"

#include <ctype.h>
#include <string.h>

bool form_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

bool form_phone_ok(const char *s)
{
	size_t digits = 0;
	if (*s == '+')
		s++;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr(" -.()", *s))
			return false;
	}
	return digits >= 5 && digits <= 20;
}

bool form_email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x21)
			return false;
	const char *dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}
