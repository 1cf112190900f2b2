// Python source, part 2 of the pod shim (see shim-script.ts): the event loop. It serves
// ordinal's requests on a unix socket in the sandbox dir (one JSON object per line), writes
// container output to CRI-format log files, reaps every process of the pod (it is PID 1 of
// the pod's PID namespace), records exits in state files and announces them to connected
// clients. Nothing here depends on ordinal being alive.

export const SHIM_PY_LOOP = String.raw`
MAX_LINE = 16 * 1024
containers = {}
by_pid = {}
clients = {}
sel = selectors.DefaultSelector()
shutting_down = False


def iso_now():
    t = time.time()
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + '.%03dZ' % int((t % 1) * 1000)


def cri_time():
    ns = time.time_ns()
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ns // 10**9)) + '.%09dZ' % (ns % 10**9)


def write_json(path, obj):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f)
    os.replace(tmp, path)


class LogStream:
    def __init__(self, fd, kind, c):
        self.fd, self.kind, self.c, self.buf = fd, kind.encode(), c, bytearray()

    def emit(self, text, tag):
        try:
            os.write(self.c.logfd, cri_time().encode() + b' ' + self.kind + b' ' + tag + b' ' + bytes(text) + b'\n')
        except OSError:
            pass

    def feed(self, data):
        self.buf += data
        while True:
            i = self.buf.find(b'\n')
            if i < 0:
                break
            self.emit(self.buf[:i], b'F')
            del self.buf[:i + 1]
        while len(self.buf) >= MAX_LINE:
            self.emit(self.buf[:MAX_LINE], b'P')
            del self.buf[:MAX_LINE]

    def shut(self):
        if self.buf:
            self.emit(self.buf, b'F')
            self.buf = bytearray()
        sel.unregister(self.fd)
        os.close(self.fd)
        self.c.streams.remove(self)

    def close(self):
        self.shut()
        finalize_if_done(self.c)


class Container:
    def __init__(self, spec):
        self.spec, self.name = spec, spec['name']
        self.pid = self.host_pid = self.status = self.kill_at = self.drain_until = None
        self.streams, self.keep_fds, self.started_at, self.finished_at = [], [], None, None
        self.oom_before = read_oom(spec)
        self.done = False

    def record(self):
        st = {'name': self.name, 'attempt': self.spec['attempt'], 'pid': self.pid, 'hostPid': self.host_pid,
              'startedAt': self.started_at, 'state': 'exited' if self.done else 'running'}
        if self.done:
            code = os.waitstatus_to_exitcode(self.status)
            sig = -code if code < 0 else None
            oom = sig == signal.SIGKILL and read_oom(self.spec) > self.oom_before
            st.update({'finishedAt': self.finished_at, 'exitCode': 128 + sig if sig else code,
                       'signal': sig, 'oomKilled': oom})
        write_json(S + '/containers/' + self.name + '.state.json', st)
        return st


def read_oom(spec):
    f = spec.get('oomControl')
    try:
        for line in open(f):
            k, v = line.split()
            if k == 'oom_kill':
                return int(v)
    except (OSError, TypeError, ValueError):
        pass
    return 0


def kill_tree(c, sig):
    pids = set()
    for f in c.spec['cgroupProcs']:
        try:
            pids |= {int(x) for x in open(f).read().split()}
        except (OSError, ValueError):
            pass
    for p in pids:
        if p > 1:  # 0 is a process outside our PID namespace; 1 is this shim
            try:
                os.kill(p, sig)
            except OSError:
                pass
    try:
        os.killpg(c.pid, sig)
    except OSError:
        pass


def start_container(spec):
    old = containers.get(spec['name'])
    if old and not old.done:
        raise RuntimeError('container %s is still running' % spec['name'])
    c = Container(spec)
    os.makedirs(os.path.dirname(spec['logPath']), exist_ok=True)
    c.logfd = os.open(spec['logPath'], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    null = os.open('/dev/null', os.O_RDWR)
    if spec['tty']:
        master, slave = os.openpty()
        stdio, mine, theirs = (slave, slave, slave), [(master, 'stdout')], [slave]
    else:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        stdio, mine, theirs = (null, out_w, err_w), [(out_r, 'stdout'), (err_r, 'stderr')], [out_w, err_w]
    if spec['stdin'] and not spec['tty']:
        # Kept open and never written: a container asking for stdin waits rather than seeing EOF.
        in_r, in_w = os.pipe()
        stdio = (in_r,) + stdio[1:]
        theirs.append(in_r)
        c.keep_fds.append(in_w)
    rep_r, rep_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        exec_container(spec, rep_w, stdio)
    os.close(rep_w)
    os.close(null)
    for fd in theirs:
        os.close(fd)
    report = b''
    deadline = time.time() + 30
    while True:
        r, _, _ = select_fds([rep_r], max(0, deadline - time.time()))
        if not r:
            os.kill(pid, signal.SIGKILL)
            report += b'Estarting the container timed out\n'
            break
        chunk = os.read(rep_r, 4096)
        if not chunk:
            break
        report += chunk
    os.close(rep_r)
    lines = report.decode(errors='replace').splitlines()
    errors = [l[1:] for l in lines if l.startswith('E')]
    if errors:
        os.waitpid(pid, 0)
        for fd, _ in mine:
            os.close(fd)
        for fd in c.keep_fds:
            os.close(fd)
        os.close(c.logfd)
        raise RuntimeError(errors[0])
    c.pid = pid
    c.host_pid = int([l[1:] for l in lines if l.startswith('P')][0])
    c.started_at = iso_now()
    for fd, kind in mine:
        s = LogStream(fd, kind, c)
        c.streams.append(s)
        sel.register(fd, selectors.EVENT_READ, ('log', s))
    containers[c.name] = c
    by_pid[pid] = c
    return c.record()


def select_fds(fds, timeout):
    import select
    return select.select(fds, [], [], timeout)


def on_exit(c, status):
    c.status = status
    c.finished_at = iso_now()
    del by_pid[c.pid]
    kill_tree(c, signal.SIGKILL)  # the rest of the container dies with its main process
    c.drain_until = time.time() + 2
    finalize_if_done(c)


def finalize_if_done(c, force=False):
    if c.done or c.status is None or (c.streams and not force):
        return
    for s in list(c.streams):
        s.shut()
    for fd in c.keep_fds:
        os.close(fd)
    c.keep_fds = []
    c.done = True
    os.close(c.logfd)
    broadcast({'event': 'exit', 'state': c.record()})


def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        c = by_pid.get(pid)
        if c:
            on_exit(c, status)


def broadcast(msg):
    for conn in list(clients):
        send(conn, msg)


def send(conn, msg):
    try:
        conn.sendall((json.dumps(msg) + '\n').encode())
    except OSError:
        drop(conn)


def drop(conn):
    if conn in clients:
        del clients[conn]
        sel.unregister(conn)
        conn.close()


def handle(conn, req):
    op, name = req.get('op'), req.get('name')
    c = containers.get(name)
    if op == 'start':
        return {'state': start_container(req['spec'])}
    if op == 'stop':
        if c and not c.done:
            try:
                os.kill(c.pid, signal.SIGTERM)
            except OSError:
                pass
            c.kill_at = time.time() + max(0, req.get('grace', 30))
        return {}
    if op == 'kill':
        if c and not c.done:
            kill_tree(c, signal.SIGKILL)
        return {}
    if op == 'states':
        return {'states': [x.record() for x in containers.values()]}
    raise RuntimeError('unknown op %r' % op)


def on_client(conn):
    try:
        data = conn.recv(65536)
    except OSError:
        data = b''
    if not data:
        return drop(conn)
    clients[conn] += data
    while b'\n' in clients.get(conn, b''):
        line, rest = clients[conn].split(b'\n', 1)
        clients[conn] = rest
        req = json.loads(line)
        try:
            reply = handle(conn, req)
            reply.update({'id': req.get('id'), 'ok': True})
        except Exception as e:
            reply = {'id': req.get('id'), 'ok': False, 'error': str(e)}
        send(conn, reply)


def on_timers():
    global shutting_down
    now = time.time()
    for c in list(containers.values()):
        if not c.done and c.kill_at is not None and now >= c.kill_at:
            kill_tree(c, signal.SIGKILL)
            c.kill_at = None
        if c.status is not None and not c.done and now >= c.drain_until:
            finalize_if_done(c, True)
    if shutting_down and all(c.done for c in containers.values()):
        sys.exit(0)


def on_sigterm(*_):
    global shutting_down
    shutting_down = True
    for c in containers.values():
        if not c.done:
            try:
                os.kill(c.pid, signal.SIGTERM)
            except OSError:
                pass
            c.kill_at = time.time() + 10


def main():
    cfg = json.load(open(S + '/sandbox.json'))
    try:
        host_pid = int(os.readlink('/proc/self'))
        for f in cfg['cgroupProcs']:
            with open(f, 'w') as fh:
                fh.write(str(os.getpid()))
        setup_sandbox(cfg)
        os.chdir(S)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind('shim.sock')  # relative: a long data dir must not hit the 108-byte limit
        listener.listen(16)
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        signal.set_wakeup_fd(wake_w.fileno())
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, on_sigterm)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sel.register(listener, selectors.EVENT_READ, ('listen', None))
        sel.register(wake_r, selectors.EVENT_READ, ('wake', None))
        write_json(S + '/shim.status', {'state': 'ready', 'hostPid': host_pid, 'readyAt': iso_now()})
    except BaseException as e:
        write_json(S + '/shim.status', {'state': 'failed', 'error': str(e)})
        raise
    while True:
        for key, _ in sel.select(timeout=0.5):
            kind, obj = key.data
            if kind == 'listen':
                conn, _ = listener.accept()
                clients[conn] = b''
                sel.register(conn, selectors.EVENT_READ, ('client', None))
            elif kind == 'wake':
                try:
                    wake_r.recv(4096)
                except OSError:
                    pass
                reap()
            elif kind == 'client':
                on_client(key.fileobj)
            elif kind == 'log':
                try:
                    data = os.read(obj.fd, 65536)
                except OSError:
                    data = b''  # EIO: the pty's last writer is gone
                if data:
                    obj.feed(data)
                else:
                    obj.close()
        reap()
        on_timers()


main()
`;
