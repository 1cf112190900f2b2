// Python source, part 1 of the pod shim (see shim-script.ts): the system-call helpers, the
// pod's filesystem (overlay root, /proc, minimal /dev, fresh tmpfs dirs, hidden data dir,
// managed /etc files) and the start of one container (own mount namespace with its volumes,
// pivot_root into the pod root, capabilities cut, exec). Python, not Node, because the shim
// must outlive ordinal and be cheap (one per pod), and fork+exec with setup in between is
// something Node cannot do.

export const SHIM_PY_SANDBOX = String.raw`
import ctypes, errno, fcntl, json, os, platform, selectors, signal, socket, struct, sys, termios, time

S = os.path.abspath(sys.argv[1])
R = S + '/root'
libc = ctypes.CDLL(None, use_errno=True)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH, CLONE_NEWNS = 2, 0x00020000
PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 47, 4
SYS_PIVOT_ROOT = {'x86_64': 155, 'aarch64': 41}.get(platform.machine())
CAP_LAST = int(open('/proc/sys/kernel/cap_last_cap').read())
PATH_DIRS = ('/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin')


def check(rc, what):
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, '%s: %s' % (what, os.strerror(e)))


def _b(s):
    return s.encode() if s is not None else None


def mount(src, tgt, fstype=None, flags=0, data=None):
    check(libc.mount(_b(src), _b(tgt), _b(fstype), ctypes.c_ulong(flags), _b(data)), 'mount %s on %s' % (src, tgt))


def secure_join(root, path):
    # root + path with every symlink resolved as if root were '/': an absolute link inside
    # the pod must never lead to the host's files.
    parts = [p for p in path.split('/') if p not in ('', '.')]
    done, links = [], 0
    while parts:
        p = parts.pop(0)
        if p == '..':
            if done:
                done.pop()
            continue
        cand = root + '/' + '/'.join(done + [p])
        if os.path.islink(cand):
            links += 1
            if links > 40:
                raise OSError(errno.ELOOP, 'too many symbolic links in ' + path)
            target = os.readlink(cand)
            if target.startswith('/'):
                done = []
            parts = [q for q in target.split('/') if q not in ('', '.')] + parts
            continue
        done.append(p)
    return root + ('/' + '/'.join(done) if done else '')


def ensure_mountpoint(target, is_dir):
    if is_dir:
        os.makedirs(target, exist_ok=True)
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not os.path.exists(target):
        open(target, 'a').close()


def setup_dev(d):
    mount('tmpfs', d, 'tmpfs', MS_NOSUID, 'mode=755,size=65536k')
    for n in ('null', 'zero', 'full', 'random', 'urandom', 'tty'):
        open(d + '/' + n, 'a').close()
        mount('/dev/' + n, d + '/' + n, None, MS_BIND)
    os.mkdir(d + '/pts')
    mount('devpts', d + '/pts', 'devpts', MS_NOSUID | MS_NOEXEC, 'newinstance,ptmxmode=0666,mode=0620')
    os.symlink('pts/ptmx', d + '/ptmx')
    os.mkdir(d + '/shm')
    mount('shm', d + '/shm', 'tmpfs', MS_NOSUID | MS_NODEV | MS_NOEXEC, 'mode=1777,size=65536k')
    os.symlink('/proc/self/fd', d + '/fd')
    for i, n in enumerate(('stdin', 'stdout', 'stderr')):
        os.symlink('/proc/self/fd/%d' % i, d + '/' + n)


def readonly_bind(path):
    if os.path.exists(path):
        mount(path, path, None, MS_BIND | MS_REC)
        mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)


def python_alias():
    # The tutorial runs 'python'; hosts often have only python3. The link lives in the
    # pod's overlay only.
    if any(os.path.lexists(R + d + '/python') for d in PATH_DIRS):
        return
    for d in PATH_DIRS:
        if os.path.exists(R + d + '/python3'):
            os.makedirs(R + '/usr/local/bin', exist_ok=True)
            os.symlink(d + '/python3', R + '/usr/local/bin/python')
            return


def setup_sandbox(cfg):
    mount(None, '/', None, MS_REC | MS_PRIVATE)
    socket.sethostname(cfg['hostname'])
    mount('overlay', R, 'overlay', 0, 'lowerdir=/,upperdir=%s/upper,workdir=%s/work' % (S, S))
    for d in ('proc', 'sys', 'dev', 'tmp', 'root', 'home', 'run', 'etc'):
        p = R + '/' + d
        if os.path.islink(p):
            os.unlink(p)
        os.makedirs(p, exist_ok=True)
    mount('proc', R + '/proc', 'proc', MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for p in ('sys', 'sysrq-trigger', 'irq', 'bus', 'fs'):
        readonly_bind(R + '/proc/' + p)
    mount('sysfs', R + '/sys', 'sysfs', MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    setup_dev(R + '/dev')
    for d, mode in (('tmp', '1777'), ('root', '700'), ('home', '755'), ('run', '755')):
        mount('tmpfs', R + '/' + d, 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=' + mode)
    for h in cfg['hide']:
        t = secure_join(R, h)
        if os.path.isdir(t):
            mount('tmpfs', t, 'tmpfs', MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 'mode=755,size=4k')
    for n in ('hosts', 'resolv.conf', 'hostname'):
        t = R + '/etc/' + n
        if os.path.islink(t) or os.path.isdir(t):
            os.unlink(t)
        ensure_mountpoint(t, False)
        mount(S + '/etc/' + n, t, None, MS_BIND)
    python_alias()


def bind_volume(m):
    src = m['hostPath']
    t = secure_join(R, m['containerPath'])
    ensure_mountpoint(t, os.path.isdir(src))
    mount(src, t, None, MS_BIND | MS_REC)
    if m['readOnly']:
        mount(None, t, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)


def enter_root():
    # pivot_root rather than chroot: a container keeps CAP_SYS_CHROOT (a default capability),
    # which escapes a chroot but not a pivoted root whose old root is detached.
    old = os.open('/', os.O_DIRECTORY | os.O_RDONLY)
    new = os.open(R, os.O_DIRECTORY | os.O_RDONLY)
    os.fchdir(new)
    if SYS_PIVOT_ROOT is not None and libc.syscall(SYS_PIVOT_ROOT, b'.', b'.') == 0:
        os.fchdir(old)
        check(libc.umount2(b'.', MNT_DETACH), 'detach the old root')
    else:
        os.chroot('.')
    os.chdir('/')
    os.close(old)
    os.close(new)


def drop_caps(keep):
    for cap in range(CAP_LAST + 1):
        if cap not in keep:
            check(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), 'drop capability %d' % cap)
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    # A root process's permitted set after exec is bounding | inheritable: clear inheritable.
    hdr = struct.pack('Ii', 0x20080522, 0)
    data = ctypes.create_string_buffer(24)
    check(libc.capget(hdr, data), 'capget')
    e0, p0, _, e1, p1, _ = struct.unpack('6I', data.raw)
    check(libc.capset(hdr, struct.pack('6I', e0, p0, 0, e1, p1, 0)), 'capset')


def exec_container(spec, report_w, stdio):
    # Runs in the forked child; never returns.
    try:
        os.setsid()
        for i, fd in enumerate(stdio):
            os.dup2(fd, i)
        for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        if spec['tty']:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        for f in spec['cgroupProcs']:
            with open(f, 'w') as fh:
                fh.write(str(os.getpid()))
        os.write(report_w, ('P%s\n' % os.readlink('/proc/self')).encode())
        check(libc.unshare(CLONE_NEWNS), 'unshare mount namespace')
        mount(None, '/', None, MS_REC | MS_PRIVATE)
        for m in sorted(spec['mounts'], key=lambda m: len([p for p in m['containerPath'].split('/') if p])):
            bind_volume(m)
        enter_root()
        drop_caps(set(spec['keepCaps']))
        wd = spec['workingDir'] or '/'
        os.makedirs(wd, exist_ok=True)
        os.chdir(wd)
        env = {}
        for k, v in spec['env']:
            env[k] = v
        argv = spec['argv']
        try:
            os.execvpe(argv[0], argv, env)
        except OSError as e:
            raise OSError(e.errno, 'exec %s: %s' % (json.dumps(argv[0]), 'executable file not found in $PATH' if e.errno == errno.ENOENT else e.strerror))
    except BaseException as e:
        try:
            os.write(report_w, ('E%s\n' % (e.strerror if isinstance(e, OSError) and e.strerror else e)).encode())
        finally:
            os._exit(127)
`;
