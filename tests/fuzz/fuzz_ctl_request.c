// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: one control-socket datagram through ctlp_parse_request(),
 * exactly as ctl.c hands it over (any bytes, any length up to the read
 * buffer). Besides "no crash, no leak", it checks the parser's promises:
 * success means a known command with in-range fields, failure means a
 * zeroed request and a NUL-terminated message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctlp_req r, back;
	char err[160];
	int ret;

	if (size > CTLP_REQ_MAX + 1)
		return 0;	/* ctl.c never passes more */
	memset(err, 'x', sizeof(err));
	ret = ctlp_parse_request((const char *)data, size, &r, err,
				 sizeof(err));
	if (ret) {
		if (r.id || r.limit || r.open || r.cmd ||
		    !memchr(err, '\0', sizeof(err)))
			abort();
		return 0;
	}
	if ((unsigned int)r.cmd >= CTLP_CMDS || r.id > CTLP_ID_MAX ||
	    r.limit > CTLP_LIMIT_MAX)
		abort();
	if ((r.cmd == CTLP_ACK || r.cmd == CTLP_CANCEL) != (r.id != 0))
		abort();
	if ((r.cmd == CTLP_ALARMS) != (r.limit != 0))
		abort();
	/* What parsed must survive the client's encoder unchanged. */
	{
		json_t *j = ctlp_request_json(&r);
		size_t len;
		char *s = j ? ctlp_dump(j, &len) : NULL;

		json_decref(j);
		if (!s)
			abort();
		if (ctlp_parse_request(s, len, &back, err, sizeof(err)) ||
		    memcmp(&r, &back, sizeof(r)))
			abort();
		free(s);
	}
	return 0;
}
