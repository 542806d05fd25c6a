"""A class's JupyterHub on loopback: dummy logins, one local process per student, each in their own home.

e2e/conftest.py starts `jupyterhub -f e2e/jupyterhub_config.py` with its settings in $RNNLESSON_HUB_SETTINGS.
When the hub runs as root and this Python is reachable by other users, each student's server runs as that
student's own unprivileged uid ("uids"), so a student can write nothing outside their home and $TMPDIR,
and the teacher's read-only checkpoint is truly read-only; otherwise all run as the hub's user.
"""

import json
import os
import sys

from jupyterhub.spawner import SimpleLocalProcessSpawner

settings = json.loads(os.environ["RNNLESSON_HUB_SETTINGS"])
c = get_config()  # noqa: F821 (defined by JupyterHub when it reads this file)


class StudentSpawner(SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner with a private $TMPDIR per student, run as the student's uid when one is given."""

    def make_preexec_fn(self, name):
        home, uid = self.home_dir, settings["uids"].get(name)

        def preexec():
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            os.chdir(home)

        return preexec

    def user_env(self, env):
        env = super().user_env(env)
        env["TMPDIR"] = os.path.join(settings["temporary"], self.user.name)  # TensorFlow leaves files there
        return env


c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(settings["state"], "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(settings["state"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(settings["state"], "cookie_secret")
c.JupyterHub.cleanup_servers = True  # the hub stops every student's server when it stops
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = set(settings["students"])

c.JupyterHub.spawner_class = StudentSpawner
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(settings["homes"], "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--LabApp.extension_manager=readonly"]  # no look-ups on PyPI
if os.geteuid() == 0 and not settings["uids"]:
    c.Spawner.args.append("--allow-root")
c.Spawner.default_url = "/lab"
c.Spawner.environment = settings["environment"]  # the teacher's RNNLESSON_CHECKPOINT, among others
c.Spawner.start_timeout = settings["timeout"]
c.Spawner.http_timeout = settings["timeout"]

# the test's own API token: it may manage users and reach their servers' APIs (kernels, sessions)
c.JupyterHub.services = [{"name": "e2e", "api_token": settings["api_token"]}]
c.JupyterHub.load_roles = [{
    "name": "e2e",
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
    "services": ["e2e"],
}]
