/* form-fields: the checks a visitor's form answer gets by field type (pre-chat and leave-a-message forms). */
#ifndef KEFU_FORM_FIELDS_H
#define KEFU_FORM_FIELDS_H

#include <stdbool.h>

/* Only white space (an answer that says nothing). */
bool form_blank(const char *s);
/* A phone number: an optional '+', 5 to 20 digits, and " -.()" between. */
bool form_phone_ok(const char *s);
/* An e-mail address: one '@' with something before it, a dot in the domain,
 * no white space or control characters. */
bool form_email_ok(const char *s);

#endif
