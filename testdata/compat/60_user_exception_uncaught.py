# A script's own exception class left uncaught: exit status 1 and
# CPython's last traceback line, the class qualified by __main__ and its
# str(), here from a custom __init__ that calls super().__init__(msg).
# exit: 1
import sys


class PipelineError(Exception):
    def __init__(self, stage, reason):
        super().__init__('stage %s failed: %s' % (stage, reason))
        self.stage = stage


class TransformError(PipelineError):
    pass


try:
    raise TransformError('parse', 'bad json')
except PipelineError as e:
    print('caught', type(e).__name__, e.stage, e.args)
sys.stdout.flush()
raise TransformError('enrich', 'missing key')
