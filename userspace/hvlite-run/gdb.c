// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: the GDB remote serial protocol (--gdb PORT), all-stop.
 *
 * One gdb thread listens, serves one connection at a time and owns the
 * breakpoint lists; vCPU threads report their debug exits and park in
 * gdb__vcpu_park() while the VM is stopped, so every ONE_REG and
 * KVM_SET_GUEST_DEBUG of the gdb thread happens with no vCPU in KVM_RUN.
 * Lock: gdb.lock guards the stop/park state, the event and the exit ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/hvlite.h>

#include "gdb.h"

struct gdb *gdb_state;

enum pkt_result { PKT_REPLY, PKT_RESUMED, PKT_DETACH, PKT_KILL };

/* ---- the stop/park protocol between the gdb thread and the vCPU threads ---- */

static void gdb__wake(struct gdb *g)
{
	char c = 1;

	if (write(g->wake[1], &c, 1) < 0 && errno != EAGAIN)
		pr_warn("gdb: wake: %s", strerror(errno));
}

static void gdb__timed_wait(struct gdb *g, unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_cond_timedwait(&g->cond, &g->lock, &ts);
}

/* A last KVM_RUN with immediate_exit completes an MMIO load before registers are read. */
static void gdb__complete_exit(struct vcpu *vcpu)
{
	if (vcpu->run->exit_reason != KVM_EXIT_MMIO)
		return;
	vcpu->run->immediate_exit = 1;
	ioctl(vcpu->fd, KVM_RUN, 0);
	vcpu->run->immediate_exit = 0;
	vcpu->run->exit_reason = KVM_EXIT_INTR;
}

/* Called by each vCPU thread before KVM_RUN: wait while the debugger holds the VM. */
void gdb__vcpu_park(struct vcpu *vcpu)
{
	struct gdb *g = gdb_state;
	struct gdb_vcpu *v;

	if (!g)
		return;
	v = &g->v[vcpu->id];
	pthread_mutex_lock(&g->lock);
	while ((g->stop_req || v->hold) && !kvm__stopping(vcpu->kvm)) {
		if (!v->parked) {
			pthread_mutex_unlock(&g->lock);
			gdb__complete_exit(vcpu);
			pthread_mutex_lock(&g->lock);
			v->parked = true;
			g->parked++;
			pthread_cond_broadcast(&g->cond);
			continue;
		}
		gdb__timed_wait(g, 100);
	}
	if (v->parked) {
		v->parked = false;
		g->parked--;
	}
	pthread_mutex_unlock(&g->lock);
}

/* Ask every vCPU to park and wait until they all have (or the VM ends). */
static void gdb__stop_all(struct gdb *g)
{
	struct kvm *kvm = g->kvm;
	unsigned int i;

	pthread_mutex_lock(&g->lock);
	g->stop_req = true;
	pthread_mutex_unlock(&g->lock);
	for (i = 0; i < kvm->nr_vcpus; i++)
		vcpu__kick(&kvm->vcpus[i]);
	pthread_mutex_lock(&g->lock);
	while (g->parked < kvm->nr_vcpus && !kvm__stopping(kvm))
		gdb__timed_wait(g, 50);
	pthread_mutex_unlock(&g->lock);
}

/* A vCPU's stop event; the first one of a run wins, the others re-occur later. */
static void gdb__report(struct vcpu *vcpu, int sig, int watch, uint64_t addr)
{
	struct gdb *g = gdb_state;
	struct kvm *kvm = vcpu->kvm;
	unsigned int i;
	bool first;

	pthread_mutex_lock(&g->lock);
	first = !g->stop_req;
	if (first) {
		g->stop_req = true;
		g->event = true;
		g->ev_vcpu = vcpu->id;
		g->ev_sig = sig;
		g->ev_watch = watch;
		g->ev_addr = addr;
	}
	pthread_mutex_unlock(&g->lock);
	if (!first)
		return;
	for (i = 0; i < kvm->nr_vcpus; i++)
		if (i != vcpu->id)
			vcpu__kick(&kvm->vcpus[i]);
	gdb__wake(g);
}

/* KVM_EXIT_DEBUG: ours (report and park) or the guest's own BRK (re-inject). */
bool gdb__debug_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct gdb *g = gdb_state;
	uint64_t esr = run->debug.arch.hsr;
	uint64_t pc;

	if (run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID)
		esr |= (uint64_t)run->debug.arch.hsr_high << 32;
	switch (ESR_EC(esr)) {
	case EC_BRK64:
		pc = gdb__reg64(vcpu, CORE_REG(regs.pc));
		if (g && g->attached && gdb__sw_bp_at(g, pc))
			gdb__report(vcpu, GDB_SIGTRAP, 0, 0);
		else
			gdb__reinject_brk(vcpu, esr);
		return true;
	case EC_SOFTSTP_LOW:
		if (g && g->v[vcpu->id].action == ACT_STEP)
			gdb__report(vcpu, GDB_SIGTRAP, 0, 0);
		return true;
	case EC_BREAKPT_LOW:
		if (g)
			gdb__report(vcpu, GDB_SIGTRAP, 0, 0);
		return true;
	case EC_WATCHPT_LOW:
		if (g)
			gdb__report(vcpu, GDB_SIGTRAP, gdb__watch_hit(g, run->debug.arch.far),
				    run->debug.arch.far);
		return true;
	default:
		pr_warn("vCPU%u: unexpected debug exit, ESR 0x%llx", vcpu->id,
			(unsigned long long)esr);
		kvm__stop(vcpu->kvm, VM_STOP_ERROR, vcpu->id);
		return false;
	}
}

/* After each KVM_RUN: the exit ring the monitor's "exits" shows. */
void gdb__record_exit(struct vcpu *vcpu)
{
	struct gdb *g = gdb_state;

	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	gdb__record_exit_locked(g, vcpu);
	pthread_mutex_unlock(&g->lock);
}

/* ---- the VM under the debugger ---- */

static struct vcpu *gdb__vcpu(struct gdb *g)
{
	return &g->kvm->vcpus[g->g_vcpu];
}

/* gdb thread ids are vCPU index + 1; 0 and -1 mean "any"/"all". */
static bool gdb__parse_tid(const char *s, int64_t *tid)
{
	uint64_t v;

	if (!strcmp(s, "-1")) {
		*tid = -1;
		return true;
	}
	if (!parse_hex(&s, &v) || *s)
		return false;
	*tid = v;
	return true;
}

static bool gdb__tid_valid(struct gdb *g, int64_t tid)
{
	return tid >= 1 && tid <= (int64_t)g->kvm->nr_vcpus;
}

static void gdb__stop_reply(struct gdb *g)
{
	static const char *const kinds[] = { "", "", "watch", "rwatch", "awatch" };

	out__reset(g);
	pthread_mutex_lock(&g->lock);
	if (g->event) {
		out__fmt(g, "T%02xthread:%x;", g->ev_sig, g->ev_vcpu + 1);
		if (g->ev_watch >= 2 && g->ev_watch <= 4)
			out__fmt(g, "%s:%llx;", kinds[g->ev_watch],
				 (unsigned long long)g->ev_addr);
		g->g_vcpu = g->ev_vcpu;
	} else {
		out__fmt(g, "T%02xthread:%x;", GDB_SIGTRAP, g->g_vcpu + 1);
	}
	pthread_mutex_unlock(&g->lock);
}

static int gdb__set_debug_all(struct gdb *g, bool on)
{
	unsigned int i;
	int ret = 0;

	g->attached = on;
	for (i = 0; i < g->kvm->nr_vcpus; i++)
		ret |= gdb__apply_debug(g, &g->kvm->vcpus[i], false);
	return ret;
}

/* Let the vCPUs go: each with its action (step, continue or stay parked). */
static void gdb__resume(struct gdb *g)
{
	unsigned int i;

	for (i = 0; i < g->kvm->nr_vcpus; i++)
		gdb__apply_debug(g, &g->kvm->vcpus[i], g->v[i].action == ACT_STEP);
	pthread_mutex_lock(&g->lock);
	g->event = false;
	for (i = 0; i < g->kvm->nr_vcpus; i++)
		g->v[i].hold = g->v[i].action == ACT_STAY;
	g->stop_req = false;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

static void gdb__set_actions(struct gdb *g, enum gdb_action a)
{
	unsigned int i;

	for (i = 0; i < g->kvm->nr_vcpus; i++)
		g->v[i].action = a;
}

/* vCont;ACTION[:TID];... — an action without a thread applies to the rest. */
static int gdb__vcont(struct gdb *g, const char *p)
{
	unsigned int i, n = g->kvm->nr_vcpus;
	bool *given = calloc(n, sizeof(*given));
	char buf[64];

	if (!given)
		return -1;
	gdb__set_actions(g, ACT_STAY);
	while (*p == ';') {
		enum gdb_action a;
		const char *end = strchr(p + 1, ';');
		size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);
		char *colon;
		int64_t tid = -1;

		if (!len || len >= sizeof(buf))
			goto bad;
		memcpy(buf, p + 1, len);
		buf[len] = '\0';
		p += len + 1;
		if (buf[0] == 'c' || buf[0] == 'C')
			a = ACT_CONT;
		else if (buf[0] == 's' || buf[0] == 'S')
			a = ACT_STEP;
		else
			goto bad;
		colon = strchr(buf, ':');
		if (colon && (!gdb__parse_tid(colon + 1, &tid) || (tid > 0 && !gdb__tid_valid(g, tid))))
			goto bad;
		for (i = 0; i < n; i++) {
			if (given[i] || (tid > 0 && (int64_t)i != tid - 1))
				continue;
			g->v[i].action = a;
			given[i] = true;
		}
	}
	if (*p)
		goto bad;
	free(given);
	return 0;
bad:
	free(given);
	return -1;
}

/* c [addr] / s [addr]: a new PC for the current thread, then go. */
static int gdb__legacy_resume(struct gdb *g, const char *p, bool step)
{
	uint64_t pc;

	if (*p) {
		if (!parse_hex(&p, &pc) || *p)
			return -1;
		if (gdb__set_reg(gdb__vcpu(g), CORE_REG(regs.pc), &pc) < 0)
			return -1;
	}
	gdb__set_actions(g, step ? ACT_STAY : ACT_CONT);
	if (step)
		g->v[g->g_vcpu].action = ACT_STEP;
	return 0;
}

/* ---- packet handlers: each fills g->out ---- */

static void gdb__error(struct gdb *g, int n)
{
	out__reset(g);
	out__fmt(g, "E%02x", n);
}

static void gdb__pkt_g(struct gdb *g)
{
	uint8_t buf[1024];
	size_t len = sizeof(buf);

	if (gdb__read_regs(gdb__vcpu(g), buf, &len) < 0)
		return gdb__error(g, 1);
	out__hex(g, buf, len);
}

static void gdb__pkt_G(struct gdb *g, const char *p)
{
	uint8_t buf[1024];
	size_t len = strlen(p);

	if (len % 2 || len / 2 > sizeof(buf) || !hex2bin(p, buf, len / 2))
		return gdb__error(g, 1);
	if (gdb__write_regs(gdb__vcpu(g), buf, len / 2) < 0)
		return gdb__error(g, 1);
	out__str(g, "OK");
}

static void gdb__pkt_p(struct gdb *g, const char *p)
{
	uint8_t buf[16];
	size_t len = sizeof(buf);
	uint64_t n;

	if (!parse_hex(&p, &n) || *p || n > 1000)
		return gdb__error(g, 1);
	if (gdb__read_reg(gdb__vcpu(g), n, buf, &len) < 0)
		return gdb__error(g, 1);
	out__hex(g, buf, len);
}

static void gdb__pkt_P(struct gdb *g, const char *p)
{
	uint8_t buf[16];
	uint64_t n;
	size_t len;

	if (!parse_hex(&p, &n) || *p++ != '=' || n > 1000)
		return gdb__error(g, 1);
	len = strlen(p);
	if (len % 2 || len / 2 > sizeof(buf) || !hex2bin(p, buf, len / 2))
		return gdb__error(g, 1);
	if (gdb__write_reg(gdb__vcpu(g), n, buf, len / 2) < 0)
		return gdb__error(g, 1);
	out__str(g, "OK");
}

static void gdb__pkt_m(struct gdb *g, const char *p)
{
	uint8_t buf[GDB_PACKET_SIZE / 2];
	uint64_t addr, len;
	size_t got;

	if (!parse_hex(&p, &addr) || *p++ != ',' || !parse_hex(&p, &len) || *p)
		return gdb__error(g, 1);
	if (len > sizeof(buf))
		len = sizeof(buf);		/* a short read is allowed */
	got = gdb__mem_read(g, addr, buf, len);
	if (!got && len)
		return gdb__error(g, 0x14);
	out__hex(g, buf, got);
}

static void gdb__pkt_M(struct gdb *g, const char *p)
{
	uint8_t buf[GDB_PACKET_SIZE / 2];
	uint64_t addr, len;

	if (!parse_hex(&p, &addr) || *p++ != ',' || !parse_hex(&p, &len) || *p++ != ':')
		return gdb__error(g, 1);
	if (len > sizeof(buf) || strlen(p) != 2 * len || !hex2bin(p, buf, len))
		return gdb__error(g, 1);
	if (gdb__mem_write(g, addr, buf, len) < 0)
		return gdb__error(g, 0x14);
	out__str(g, "OK");
}

static void gdb__pkt_Z(struct gdb *g, const char *p, bool insert)
{
	uint64_t type, addr, kind;
	int ret;

	if (!parse_hex(&p, &type) || *p++ != ',' || !parse_hex(&p, &addr) || *p++ != ',' ||
	    !parse_hex(&p, &kind) || (*p && *p != ';'))
		return gdb__error(g, 1);
	if (type > 4) {
		out__reset(g);		/* not supported: empty */
		return;
	}
	ret = insert ? gdb__bp_insert(g, type, addr, kind) : gdb__bp_remove(g, type, addr, kind);
	if (ret == -ENOTSUP)
		return;
	if (ret < 0)
		return gdb__error(g, ret == -ENOSPC ? 0x0e : 0x16);
	out__str(g, "OK");
}

static void gdb__pkt_H(struct gdb *g, const char *p)
{
	int64_t tid;

	if ((*p != 'g' && *p != 'c') || !gdb__parse_tid(p + 1, &tid))
		return gdb__error(g, 1);
	if (tid > 0 && !gdb__tid_valid(g, tid))
		return gdb__error(g, 1);
	if (*p == 'g' && tid > 0)
		g->g_vcpu = tid - 1;
	out__str(g, "OK");
}

static void gdb__pkt_T(struct gdb *g, const char *p)
{
	int64_t tid;

	if (!gdb__parse_tid(p, &tid) || !gdb__tid_valid(g, tid))
		return gdb__error(g, 1);
	out__str(g, "OK");
}

static void gdb__pkt_xfer(struct gdb *g, const char *p)
{
	const char *annex = "target.xml:";
	uint64_t off, len;
	size_t total;
	const char *xml = gdb__target_xml(&total);

	if (strncmp(p, annex, strlen(annex)))
		return gdb__error(g, 0);
	p += strlen(annex);
	if (!parse_hex(&p, &off) || *p++ != ',' || !parse_hex(&p, &len) || *p)
		return gdb__error(g, 1);
	if (len > GDB_PACKET_SIZE / 2)
		len = GDB_PACKET_SIZE / 2;
	if (off >= total) {
		out__str(g, "l");
		return;
	}
	if (len > total - off)
		len = total - off;
	out__str(g, off + len < total ? "m" : "l");
	memcpy(g->out + g->out_len, xml + off, len);
	g->out_len += len;
	g->out[g->out_len] = '\0';
}

/* Console output for gdb: O packets of hex text, before the command's OK. */
static void gdb__send_output(struct gdb *g, const char *text, size_t len)
{
	size_t chunk = (GDB_PACKET_SIZE - 8) / 2;

	while (len) {
		size_t n = len < chunk ? len : chunk;

		out__reset(g);
		out__str(g, "O");
		out__hex(g, (const uint8_t *)text, n);
		if (gdb__send_packet(g, g->out, g->out_len) < 0)
			break;
		text += n;
		len -= n;
	}
	out__reset(g);
}

static void gdb__pkt_rcmd(struct gdb *g, const char *p)
{
	size_t n = strlen(p) / 2;
	char *cmd = malloc(n + 1);

	if (!cmd || strlen(p) % 2 || !hex2bin(p, (uint8_t *)cmd, n)) {
		free(cmd);
		return gdb__error(g, 1);
	}
	cmd[n] = '\0';
	gdb__monitor(g, cmd);
	free(cmd);
	gdb__send_output(g, g->mon, g->mon_len);
	out__str(g, "OK");
}

static void gdb__pkt_extra_info(struct gdb *g, const char *p)
{
	struct kvm_mp_state mp = { 0 };
	struct vcpu *vcpu;
	char buf[64];
	int64_t tid;

	if (!gdb__parse_tid(p, &tid) || !gdb__tid_valid(g, tid))
		return gdb__error(g, 1);
	vcpu = &g->kvm->vcpus[tid - 1];
	ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp);
	snprintf(buf, sizeof(buf), "vCPU%u MPIDR 0x%llx%s", vcpu->id,
		 (unsigned long long)vcpu->mpidr,
		 mp.mp_state == KVM_MP_STATE_STOPPED ? " powered off" : "");
	out__hex(g, (const uint8_t *)buf, strlen(buf));
}

static void gdb__pkt_threads(struct gdb *g)
{
	unsigned int i;

	out__str(g, "m");
	for (i = 0; i < g->kvm->nr_vcpus; i++)
		out__fmt(g, "%s%x", i ? "," : "", i + 1);
}

static void gdb__pkt_q(struct gdb *g, const char *p)
{
	if (!strncmp(p, "qSupported", 10))
		out__fmt(g, "PacketSize=%x;qXfer:features:read+", GDB_PACKET_SIZE);
	else if (!strncmp(p, "qXfer:features:read:", 20))
		gdb__pkt_xfer(g, p + 20);
	else if (!strcmp(p, "qfThreadInfo"))
		gdb__pkt_threads(g);
	else if (!strcmp(p, "qsThreadInfo"))
		out__str(g, "l");
	else if (!strcmp(p, "qC"))
		out__fmt(g, "QC%x", g->g_vcpu + 1);
	else if (!strcmp(p, "qAttached"))
		out__str(g, "1");
	else if (!strncmp(p, "qSymbol", 7))
		out__str(g, "OK");
	else if (!strncmp(p, "qRcmd,", 6))
		gdb__pkt_rcmd(g, p + 6);
	else if (!strncmp(p, "qThreadExtraInfo,", 17))
		gdb__pkt_extra_info(g, p + 17);
}

static enum pkt_result gdb__pkt_v(struct gdb *g, const char *p)
{
	if (!strcmp(p, "vCont?")) {
		out__str(g, "vCont;c;C;s;S");
		return PKT_REPLY;
	}
	if (!strncmp(p, "vCont", 5)) {
		if (gdb__vcont(g, p + 5) < 0) {
			gdb__error(g, 1);
			return PKT_REPLY;
		}
		return PKT_RESUMED;
	}
	if (!strncmp(p, "vKill", 5))
		return PKT_KILL;
	return PKT_REPLY;		/* vMustReplyEmpty and the unknown: empty */
}

static enum pkt_result gdb__packet(struct gdb *g, const char *p)
{
	out__reset(g);
	switch (p[0]) {
	case '?': gdb__stop_reply(g); break;
	case 'g': gdb__pkt_g(g); break;
	case 'G': gdb__pkt_G(g, p + 1); break;
	case 'p': gdb__pkt_p(g, p + 1); break;
	case 'P': gdb__pkt_P(g, p + 1); break;
	case 'm': gdb__pkt_m(g, p + 1); break;
	case 'M': gdb__pkt_M(g, p + 1); break;
	case 'Z': gdb__pkt_Z(g, p + 1, true); break;
	case 'z': gdb__pkt_Z(g, p + 1, false); break;
	case 'H': gdb__pkt_H(g, p + 1); break;
	case 'T': gdb__pkt_T(g, p + 1); break;
	case 'q': gdb__pkt_q(g, p); break;
	case 'v': return gdb__pkt_v(g, p);
	case 'D': return PKT_DETACH;
	case 'k': return PKT_KILL;
	case 'c':
	case 's':
		if (gdb__legacy_resume(g, p + 1, p[0] == 's') < 0) {
			gdb__error(g, 1);
			break;
		}
		return PKT_RESUMED;
	default: break;		/* unsupported: the empty reply */
	}
	return PKT_REPLY;
}

/* ---- the session ---- */

enum wait_result { WAIT_STOPPED, WAIT_VM_ENDED, WAIT_GONE };

/* The VM runs: wait for a vCPU's event, a Ctrl-C (0x03), or the VM's end. */
static enum wait_result gdb__wait_stop(struct gdb *g)
{
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = g->conn_fd, .events = POLLIN },
			{ .fd = g->wake[0], .events = POLLIN },
		};
		unsigned char c;
		bool ev;

		if (poll(p, 2, 200) < 0 && errno != EINTR)
			return WAIT_GONE;
		if (kvm__stopping(g->kvm))
			return WAIT_VM_ENDED;
		if (p[1].revents & POLLIN) {
			while (read(g->wake[0], &c, 1) == 1)
				;
		}
		pthread_mutex_lock(&g->lock);
		ev = g->event;
		pthread_mutex_unlock(&g->lock);
		if (ev) {
			gdb__stop_all(g);
			return kvm__stopping(g->kvm) ? WAIT_VM_ENDED : WAIT_STOPPED;
		}
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (recv(g->conn_fd, &c, 1, 0) != 1)
			return WAIT_GONE;
		if (c != 0x03)
			continue;		/* acks, or noise while running */
		gdb__stop_all(g);
		pthread_mutex_lock(&g->lock);
		if (!g->event) {
			g->event = true;
			g->ev_vcpu = g->g_vcpu;
			g->ev_sig = GDB_SIGINT;
			g->ev_watch = 0;
		}
		pthread_mutex_unlock(&g->lock);
		return kvm__stopping(g->kvm) ? WAIT_VM_ENDED : WAIT_STOPPED;
	}
}

/* Detach (or a lost connection): breakpoints out, debug off, the guest runs on. */
static void gdb__detach(struct gdb *g)
{
	gdb__bp_remove_all(g);
	gdb__set_debug_all(g, false);
	gdb__set_actions(g, ACT_CONT);
	gdb__resume(g);
}

static void gdb__kill(struct gdb *g)
{
	pr_warn("gdb: killed by the debugger");
	gdb__bp_remove_all(g);
	kvm__stop(g->kvm, VM_STOP_DEBUGGER, g->g_vcpu);
	pthread_mutex_lock(&g->lock);
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

static void gdb__session(struct gdb *g)
{
	char *buf = malloc(GDB_PACKET_SIZE + 1);
	enum pkt_result r;
	int n;

	if (!buf)
		return;
	gdb__stop_all(g);
	g->g_vcpu = 0;
	g->phys = false;
	gdb__set_debug_all(g, true);
	for (;;) {
		n = gdb__read_packet(g, buf, GDB_PACKET_SIZE + 1);
		if (n == -2 && kvm__stopping(g->kvm)) {
			gdb__send_str(g, "W00");
			break;
		}
		if (n < 0) {
			gdb__detach(g);
			break;
		}
		r = gdb__packet(g, buf);
		if (r == PKT_KILL) {
			if (buf[0] == 'v')
				gdb__send_str(g, "OK");
			gdb__kill(g);
			break;
		}
		if (r == PKT_DETACH) {
			gdb__send_str(g, "OK");
			gdb__detach(g);
			break;
		}
		if (r == PKT_REPLY) {
			if (gdb__send_packet(g, g->out, g->out_len) < 0) {
				gdb__detach(g);
				break;
			}
			continue;
		}
		gdb__resume(g);
		switch (gdb__wait_stop(g)) {
		case WAIT_STOPPED:
			gdb__stop_reply(g);
			if (!gdb__send_packet(g, g->out, g->out_len))
				continue;
			/* fall through */
		case WAIT_GONE:
			gdb__stop_all(g);
			gdb__detach(g);
			break;
		case WAIT_VM_ENDED:
			gdb__send_str(g, "W00");
			break;
		}
		break;
	}
	free(buf);
}

static void *gdb__thread(void *arg)
{
	struct gdb *g = arg;

	while (!g->quit && !kvm__stopping(g->kvm)) {
		struct pollfd p = { .fd = g->listen_fd, .events = POLLIN };
		int one = 1;

		if (poll(&p, 1, 200) <= 0)
			continue;
		g->conn_fd = accept(g->listen_fd, NULL, NULL);
		if (g->conn_fd < 0)
			continue;
		setsockopt(g->conn_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pr_warn("gdb: connected");
		gdb__session(g);
		close(g->conn_fd);
		g->conn_fd = -1;
		pr_warn("gdb: connection closed");
	}
	return NULL;
}

static int gdb__listen(uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		die_errno("gdb: socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die_errno("gdb: port %u", port);
	if (listen(fd, 1) < 0)
		die_errno("gdb: listen");
	return fd;
}

/* With --gdb: listen, and with --gdb-wait hold every vCPU until gdb lets them go. */
void gdb__init(struct kvm *kvm)
{
	struct gdb *g;
	int err;

	if (!kvm->cfg->gdb_port)
		return;
	g = calloc(1, sizeof(*g));
	if (!g || !(g->v = calloc(kvm->nr_vcpus, sizeof(*g->v))))
		die("out of memory");
	g->kvm = kvm;
	g->port = kvm->cfg->gdb_port;
	g->conn_fd = -1;
	/* hvlite's extension ioctls fault on a NULL argument; KVM does not know them. */
	g->is_hvlite = ioctl(kvm->vm_fd, HVLITE_VM_S2_WALK, NULL) < 0 && errno == EFAULT;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	if (pipe(g->wake) < 0)
		die_errno("gdb: pipe");
	for (err = 0; err < 2; err++)
		fcntl(g->wake[err], F_SETFL, O_NONBLOCK);
	g->listen_fd = gdb__listen(g->port);
	g->stop_req = kvm->cfg->gdb_wait;
	gdb_state = g;
	err = pthread_create(&g->thread, NULL, gdb__thread, g);
	if (err) {
		errno = err;
		die_errno("gdb: pthread_create");
	}
	pr_warn("gdb: listening on port %u%s", g->port,
		kvm->cfg->gdb_wait ? ", the guest waits for gdb" : "");
}

void gdb__exit(struct kvm *kvm)
{
	struct gdb *g = gdb_state;

	if (!g)
		return;
	(void)kvm;
	g->quit = true;
	pthread_join(g->thread, NULL);
	close(g->listen_fd);
	close(g->wake[0]);
	close(g->wake[1]);
	free(g->mon);
	free(g->v);
	free(g);
	gdb_state = NULL;
}
