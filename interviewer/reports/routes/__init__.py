"""The reports' views, one module per report; every module of this package is imported,
so that a report's views attach to the blueprint by being here."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
