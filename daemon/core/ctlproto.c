// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctlproto: parsing and building control-socket messages (see ctlproto.h
 * and docs/control-protocol.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"
#include "errf.h"

/* Keys a request may carry besides "cmd". */
#define CTLP_K_ID	0x1
#define CTLP_K_OPEN	0x2
#define CTLP_K_LIMIT	0x4

static const struct {
	const char *name;
	enum ctlp_perm perm;
	unsigned int keys;	/* CTLP_K_* allowed */
	const char *reply_key;
} ctlp_cmds[CTLP_CMDS] = {
	[CTLP_STATUS] = { "status", CTLP_PERM_READ, 0, "status" },
	[CTLP_SENSORS] = { "sensors", CTLP_PERM_READ, 0, "sensors" },
	[CTLP_ALARMS] = { "alarms", CTLP_PERM_READ,
			  CTLP_K_OPEN | CTLP_K_LIMIT, "alarms" },
	[CTLP_ACK] = { "ack", CTLP_PERM_OPERATE, CTLP_K_ID, "alarm" },
	[CTLP_CANCEL] = { "cancel", CTLP_PERM_OPERATE, CTLP_K_ID, "alarm" },
	[CTLP_TEST] = { "test", CTLP_PERM_OPERATE, 0, "alarm" },
	[CTLP_MONITOR] = { "monitor", CTLP_PERM_READ, 0, NULL },
};

const char *ctlp_cmd_name(enum ctlp_cmd cmd)
{
	return (unsigned int)cmd < CTLP_CMDS ? ctlp_cmds[cmd].name : "?";
}

int ctlp_cmd_parse(const char *name)
{
	int i;

	for (i = 0; i < CTLP_CMDS; i++)
		if (!strcmp(name, ctlp_cmds[i].name))
			return i;
	return -1;
}

enum ctlp_perm ctlp_cmd_perm(enum ctlp_cmd cmd)
{
	/* An out-of-range value is a bug; ask for the stronger right. */
	return (unsigned int)cmd < CTLP_CMDS ? ctlp_cmds[cmd].perm :
					       CTLP_PERM_OPERATE;
}

const char *ctlp_perm_name(enum ctlp_perm perm)
{
	switch (perm) {
	case CTLP_PERM_READ:
		return "read";
	case CTLP_PERM_OPERATE:
		return "operate";
	}
	return "?";
}

const char *ctlp_reply_key(enum ctlp_cmd cmd)
{
	return (unsigned int)cmd < CTLP_CMDS ? ctlp_cmds[cmd].reply_key : NULL;
}

/*
 * Untrusted text in an error message: printable ASCII as is, anything
 * else as '?', at most 32 characters: the message goes back to the
 * client and may end up in the journal.
 */
static void ctlp_quote(char *dst, size_t size, const char *src)
{
	size_t i, o = 0;

	for (i = 0; src[i] && o + 4 < size; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (i == 32) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		dst[o++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	dst[o] = '\0';
}

static const char *ctlp_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* An integer member in [min, max]; reals (1.0, 1e3) are not integers. */
static int ctlp_int(const json_t *v, const char *key, uint64_t min,
		    uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	json_int_t i;

	if (!json_is_integer(v))
		return errf(-EINVAL, err, errlen,
				 "\"%s\" must be an integer in %llu..%llu, not %s",
				 key, (unsigned long long)min,
				 (unsigned long long)max, ctlp_type_name(v));
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i < min || (uint64_t)i > max)
		return errf(-EINVAL, err, errlen,
				 "\"%s\" must be in %llu..%llu, not %lld", key,
				 (unsigned long long)min,
				 (unsigned long long)max, (long long)i);
	*out = (uint64_t)i;
	return 0;
}

static int ctlp_member(const char *cmd, unsigned int allowed, const char *key,
		       const json_t *v, struct ctlp_req *out, unsigned int *seen,
		       char *err, size_t errlen)
{
	unsigned int k;
	char q[40];
	uint64_t n;
	int ret;

	if (!strcmp(key, "id"))
		k = CTLP_K_ID;
	else if (!strcmp(key, "open"))
		k = CTLP_K_OPEN;
	else if (!strcmp(key, "limit"))
		k = CTLP_K_LIMIT;
	else
		k = 0;
	if (!(k & allowed)) {
		ctlp_quote(q, sizeof(q), key);
		return errf(-EINVAL, err, errlen,
				 "unknown key \"%s\" for %s", q, cmd);
	}
	*seen |= k;
	switch (k) {
	case CTLP_K_ID:
		ret = ctlp_int(v, key, 1, CTLP_ID_MAX, &n, err, errlen);
		out->id = n;
		return ret;
	case CTLP_K_LIMIT:
		ret = ctlp_int(v, key, 1, CTLP_LIMIT_MAX, &n, err, errlen);
		out->limit = (unsigned int)n;
		return ret;
	case CTLP_K_OPEN:
		if (!json_is_boolean(v))
			return errf(-EINVAL, err, errlen,
					 "\"open\" must be true or false, not %s",
					 ctlp_type_name(v));
		out->open = json_is_true(v);
		return 0;
	}
	return -EINVAL;	/* not reached: k is one of the allowed bits */
}

int ctlp_parse_request(const char *buf, size_t len, struct ctlp_req *out,
		       char *err, size_t errlen)
{
	unsigned int allowed, seen = 0;
	const char *key, *name;
	json_error_t jerr;
	json_t *root, *v;
	char q[40];
	int cmd, ret = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return errf(-EINVAL, err, errlen, "empty request");
	if (len > CTLP_REQ_MAX)
		return errf(-EMSGSIZE, err, errlen,
				 "request of %zu bytes is longer than %d",
				 len, CTLP_REQ_MAX);
	/* jansson would reject it too, but with a less helpful message. */
	if (memchr(buf, '\0', len))
		return errf(-EINVAL, err, errlen,
				 "request contains a NUL byte");

	/*
	 * No JSON_DISABLE_EOF_CHECK: trailing data after the object fails.
	 * JSON_DECODE_ANY: a bare "status" then gets "must be a JSON object",
	 * clearer than jansson's "'[' or '{' expected".
	 */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			  &jerr);
	if (!root)
		return errf(-EINVAL, err, errlen,
				 "invalid JSON at line %d column %d: %s",
				 jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		ret = errf(-EINVAL, err, errlen,
				"request must be a JSON object, not %s",
				ctlp_type_name(root));
		goto out;
	}
	v = json_object_get(root, "cmd");
	if (!v) {
		ret = errf(-EINVAL, err, errlen, "missing \"cmd\"");
		goto out;
	}
	if (!json_is_string(v)) {
		ret = errf(-EINVAL, err, errlen,
				"\"cmd\" must be a string, not %s",
				ctlp_type_name(v));
		goto out;
	}
	name = json_string_value(v);
	cmd = ctlp_cmd_parse(name);
	if (cmd < 0) {
		ctlp_quote(q, sizeof(q), name);
		ret = errf(-EOPNOTSUPP, err, errlen,
				"unknown command \"%s\"", q);
		goto out;
	}
	out->cmd = (enum ctlp_cmd)cmd;
	allowed = ctlp_cmds[cmd].keys;
	if (allowed & CTLP_K_LIMIT)
		out->limit = CTLP_LIMIT_DEFAULT;

	json_object_foreach(root, key, v) {
		if (!strcmp(key, "cmd"))
			continue;
		ret = ctlp_member(ctlp_cmds[cmd].name, allowed, key, v, out,
				  &seen, err, errlen);
		if (ret)
			goto out;
	}
	if ((allowed & CTLP_K_ID) && !(seen & CTLP_K_ID))
		ret = errf(-EINVAL, err, errlen, "%s needs \"id\"",
				ctlp_cmds[cmd].name);
out:
	json_decref(root);
	if (ret) {
		/* Nothing half-parsed leaks to a caller that ignores ret. */
		memset(out, 0, sizeof(*out));
	}
	return ret;
}

json_t *ctlp_request_json(const struct ctlp_req *req)
{
	json_t *o = json_object();

	if (!o || (unsigned int)req->cmd >= CTLP_CMDS)
		goto fail;
	if (json_object_set_new(o, "cmd", json_string(ctlp_cmd_name(req->cmd))))
		goto fail;
	switch (req->cmd) {
	case CTLP_ACK:
	case CTLP_CANCEL:
		if (json_object_set_new(o, "id",
					json_integer((json_int_t)req->id)))
			goto fail;
		break;
	case CTLP_ALARMS:
		if (req->open &&
		    json_object_set_new(o, "open", json_true()))
			goto fail;
		if (req->limit &&
		    json_object_set_new(o, "limit", json_integer(req->limit)))
			goto fail;
		break;
	case CTLP_STATUS:
	case CTLP_SENSORS:
	case CTLP_TEST:
	case CTLP_MONITOR:
		break;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *ctlp_reply_ok(const char *key, json_t *payload)
{
	json_t *o = json_object();

	if (!o || json_object_set_new(o, "ok", json_true()))
		goto fail;
	if (key) {
		if (!payload)
			goto fail;
		/* _new steals payload, on failure too. */
		if (json_object_set_new(o, key, payload)) {
			payload = NULL;
			goto fail;
		}
	} else {
		json_decref(payload);
	}
	return o;
fail:
	json_decref(payload);
	json_decref(o);
	return NULL;
}

json_t *ctlp_reply_err(int errnum, const char *fmt, ...)
{
	char msg[512], *p;
	json_t *o, *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* json_string() wants UTF-8; the message may quote anything. */
	s = json_string(msg);
	if (!s) {
		for (p = msg; *p; p++)
			if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
				*p = '?';
		s = json_string(msg);
	}
	o = json_object();
	/* "ok" first: jansson keeps insertion order, people read it first */
	if (!o || !s || json_object_set_new(o, "ok", json_false())) {
		json_decref(s);
		json_decref(o);
		return NULL;
	}
	/* set_new steals s, also when it fails */
	if (json_object_set_new(o, "error", s) ||
	    json_object_set_new(o, "errno",
				json_string(ctlp_errno_name(errnum)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

const char *ctlp_errno_name(int errnum)
{
	switch (errnum) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case EALREADY: return "EALREADY";
	case EINVAL: return "EINVAL";
	case EMSGSIZE: return "EMSGSIZE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EBUSY: return "EBUSY";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENODEV: return "ENODEV";
	}
	return "EIO";
}

char *ctlp_dump(const json_t *msg, size_t *len)
{
	char *s = json_dumps(msg, JSON_COMPACT);

	if (s && len)
		*len = strlen(s);
	return s;
}
