// SPDX-License-Identifier: GPL-2.0
/* Multicast groups that require CAP_NET_ADMIN to join (6.7, backported). */
#include <net/genetlink.h>

const struct genl_multicast_group carehub_probe_grp = {
	.name = "probe",
	.flags = GENL_MCAST_CAP_NET_ADMIN,
};
