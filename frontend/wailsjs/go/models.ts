export namespace account {
	
	export class Company {
	    name: string;
	    timeZone: string;
	    manageCompanyId: string;
	    manageSite: string;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Company(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.timeZone = source["timeZone"];
	        this.manageCompanyId = source["manageCompanyId"];
	        this.manageSite = source["manageSite"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InviteInput {
	    email: string;
	    name: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new InviteInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.email = source["email"];
	        this.name = source["name"];
	        this.role = source["role"];
	    }
	}
	export class LinkInfo {
	    purpose: string;
	    email: string;
	    name: string;
	    companyName: string;
	
	    static createFrom(source: any = {}) {
	        return new LinkInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.purpose = source["purpose"];
	        this.email = source["email"];
	        this.name = source["name"];
	        this.companyName = source["companyName"];
	    }
	}
	export class LinkOutcome {
	    emailed: boolean;
	    email: string;
	    link?: string;
	    token?: string;
	    // Go type: time
	    expiresAt: any;
	
	    static createFrom(source: any = {}) {
	        return new LinkOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.emailed = source["emailed"];
	        this.email = source["email"];
	        this.link = source["link"];
	        this.token = source["token"];
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SignUpInput {
	    companyName: string;
	    timeZone: string;
	    manageCompanyId: string;
	    manageSite: string;
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new SignUpInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.companyName = source["companyName"];
	        this.timeZone = source["timeZone"];
	        this.manageCompanyId = source["manageCompanyId"];
	        this.manageSite = source["manageSite"];
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class User {
	    id: number;
	    email: string;
	    name: string;
	    role: string;
	    status: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    lastLoginAt?: any;
	    // Go type: time
	    lockedUntil?: any;
	
	    static createFrom(source: any = {}) {
	        return new User(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.email = source["email"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.status = source["status"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.lastLoginAt = this.convertValues(source["lastLoginAt"], null);
	        this.lockedUntil = this.convertValues(source["lockedUntil"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace activity {
	
	export class Entry {
	    id: number;
	    // Go type: time
	    at: any;
	    actor: string;
	    action: string;
	    detail: string;
	    label: string;
	    area: string;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.actor = source["actor"];
	        this.action = source["action"];
	        this.detail = source["detail"];
	        this.label = source["label"];
	        this.area = source["area"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Page {
	    entries: Entry[];
	    more: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entries = this.convertValues(source["entries"], Entry);
	        this.more = source["more"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace attention {
	
	export class Item {
	    kind: string;
	    severity: string;
	    title: string;
	    detail: string;
	    page: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.severity = source["severity"];
	        this.title = source["title"];
	        this.detail = source["detail"];
	        this.page = source["page"];
	        this.count = source["count"];
	    }
	}

}

export namespace backup {
	
	export class Info {
	    path: string;
	    schemaVersion: number;
	    company: string;
	    mappings: number;
	    runs: number;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.schemaVersion = source["schemaVersion"];
	        this.company = source["company"];
	        this.mappings = source["mappings"];
	        this.runs = source["runs"];
	        this.bytes = source["bytes"];
	    }
	}

}

export namespace install {
	
	export class About {
	    productName: string;
	    version: string;
	    commit: string;
	    dataDir: string;
	    databasePath: string;
	    schemaVersion: number;
	    keychainService: string;
	    keychainProblem: string;
	    demo: boolean;
	    logFile: string;
	    lastCrashAt?: string;
	
	    static createFrom(source: any = {}) {
	        return new About(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.productName = source["productName"];
	        this.version = source["version"];
	        this.commit = source["commit"];
	        this.dataDir = source["dataDir"];
	        this.databasePath = source["databasePath"];
	        this.schemaVersion = source["schemaVersion"];
	        this.keychainService = source["keychainService"];
	        this.keychainProblem = source["keychainProblem"];
	        this.demo = source["demo"];
	        this.logFile = source["logFile"];
	        this.lastCrashAt = source["lastCrashAt"];
	    }
	}

}

export namespace mail {
	
	export class Result {
	    ok: boolean;
	    summary: string;
	    serverReply?: string;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.summary = source["summary"];
	        this.serverReply = source["serverReply"];
	    }
	}
	export class Settings {
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    fromAddress: string;
	    fromName: string;
	    passwordSaved: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.fromAddress = source["fromAddress"];
	        this.fromName = source["fromName"];
	        this.passwordSaved = source["passwordSaved"];
	    }
	}

}

export namespace main {
	
	export class AuthState {
	    signedUp: boolean;
	    company?: account.Company;
	    user?: account.User;
	    demo: boolean;
	    mailConfigured: boolean;
	    idleLockMinutes: number;
	    pendingLink: string;
	    cloudSites: string[];
	
	    static createFrom(source: any = {}) {
	        return new AuthState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signedUp = source["signedUp"];
	        this.company = this.convertValues(source["company"], account.Company);
	        this.user = this.convertValues(source["user"], account.User);
	        this.demo = source["demo"];
	        this.mailConfigured = source["mailConfigured"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	        this.pendingLink = source["pendingLink"];
	        this.cloudSites = source["cloudSites"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportOutcome {
	    result: mapping.ImportResult;
	    errors: mapping.RowError[];
	
	    static createFrom(source: any = {}) {
	        return new ImportOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result = this.convertValues(source["result"], mapping.ImportResult);
	        this.errors = this.convertValues(source["errors"], mapping.RowError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LatestResult {
	    found: boolean;
	    result: syncer.Result;
	
	    static createFrom(source: any = {}) {
	        return new LatestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.found = source["found"];
	        this.result = this.convertValues(source["result"], syncer.Result);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NotificationsView {
	    preferences: notify.Preferences;
	    mailConfigured: boolean;
	
	    static createFrom(source: any = {}) {
	        return new NotificationsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.preferences = this.convertValues(source["preferences"], notify.Preferences);
	        this.mailConfigured = source["mailConfigured"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScheduleView {
	    schedule: scheduler.Schedule;
	    status: scheduler.Status;
	    timeZone: string;
	
	    static createFrom(source: any = {}) {
	        return new ScheduleView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schedule = this.convertValues(source["schedule"], scheduler.Schedule);
	        this.status = this.convertValues(source["status"], scheduler.Status);
	        this.timeZone = source["timeZone"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StartAtLoginStatus {
	    enabled: boolean;
	    command: string;
	    available: boolean;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new StartAtLoginStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.command = source["command"];
	        this.available = source["available"];
	        this.note = source["note"];
	    }
	}
	export class SyncStarted {
	    started: boolean;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncStarted(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.started = source["started"];
	        this.message = source["message"];
	    }
	}

}

export namespace manageconn {
	
	export class Counts {
	    companies: number;
	    agreements: number;
	    activeAgreements: number;
	    additions: number;
	    catalogItems: number;
	
	    static createFrom(source: any = {}) {
	        return new Counts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.companies = source["companies"];
	        this.agreements = source["agreements"];
	        this.activeAgreements = source["activeAgreements"];
	        this.additions = source["additions"];
	        this.catalogItems = source["catalogItems"];
	    }
	}
	export class RefreshOutcome {
	    ok: boolean;
	    refreshedAt: string;
	    counts: Counts;
	    durationMs: number;
	    requests: number;
	    warnings: string[];
	    message?: string;
	    field?: string;
	
	    static createFrom(source: any = {}) {
	        return new RefreshOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.refreshedAt = source["refreshedAt"];
	        this.counts = this.convertValues(source["counts"], Counts);
	        this.durationMs = source["durationMs"];
	        this.requests = source["requests"];
	        this.warnings = source["warnings"];
	        this.message = source["message"];
	        this.field = source["field"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Step {
	    id: string;
	    title: string;
	    status: string;
	    message: string;
	    kind?: string;
	    requestId?: string;
	    durationMs: number;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.status = source["status"];
	        this.message = source["message"];
	        this.kind = source["kind"];
	        this.requestId = source["requestId"];
	        this.durationMs = source["durationMs"];
	    }
	}
	export class TestOutcome {
	    ok: boolean;
	    steps: Step[];
	    summary: string;
	    username: string;
	    companyName: string;
	    codebase: string;
	    apiBase: string;
	    version: string;
	    isCloud: boolean;
	    testedAt: string;
	    field?: string;
	
	    static createFrom(source: any = {}) {
	        return new TestOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.steps = this.convertValues(source["steps"], Step);
	        this.summary = source["summary"];
	        this.username = source["username"];
	        this.companyName = source["companyName"];
	        this.codebase = source["codebase"];
	        this.apiBase = source["apiBase"];
	        this.version = source["version"];
	        this.isCloud = source["isCloud"];
	        this.testedAt = source["testedAt"];
	        this.field = source["field"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Activity {
	    id: number;
	    kind: string;
	    running: boolean;
	    phase: string;
	    startedAt?: string;
	    finishedAt?: string;
	    test?: TestOutcome;
	    refresh?: RefreshOutcome;
	    error?: string;
	    errorField?: string;
	
	    static createFrom(source: any = {}) {
	        return new Activity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.running = source["running"];
	        this.phase = source["phase"];
	        this.startedAt = source["startedAt"];
	        this.finishedAt = source["finishedAt"];
	        this.test = this.convertValues(source["test"], TestOutcome);
	        this.refresh = this.convertValues(source["refresh"], RefreshOutcome);
	        this.error = source["error"];
	        this.errorField = source["errorField"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Addition {
	    id: number;
	    agreementId: number;
	    productId: number;
	    productIdentifier: string;
	    productDescription: string;
	    description: string;
	    quantity?: number;
	    lessIncluded?: number;
	    billedQuantity?: number;
	    billCustomer: string;
	    effectiveDate?: string;
	    cancelledDate?: string;
	
	    static createFrom(source: any = {}) {
	        return new Addition(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.agreementId = source["agreementId"];
	        this.productId = source["productId"];
	        this.productIdentifier = source["productIdentifier"];
	        this.productDescription = source["productDescription"];
	        this.description = source["description"];
	        this.quantity = source["quantity"];
	        this.lessIncluded = source["lessIncluded"];
	        this.billedQuantity = source["billedQuantity"];
	        this.billCustomer = source["billCustomer"];
	        this.effectiveDate = source["effectiveDate"];
	        this.cancelledDate = source["cancelledDate"];
	    }
	}
	export class Agreement {
	    id: number;
	    companyId: number;
	    companyName: string;
	    name: string;
	    type: string;
	    status: string;
	    cancelled: boolean;
	    startDate?: string;
	    endDate?: string;
	    noEndingDate: boolean;
	    parentId?: number;
	    isChild: boolean;
	    blockedReason: string;
	    additions: number;
	
	    static createFrom(source: any = {}) {
	        return new Agreement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.companyId = source["companyId"];
	        this.companyName = source["companyName"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.status = source["status"];
	        this.cancelled = source["cancelled"];
	        this.startDate = source["startDate"];
	        this.endDate = source["endDate"];
	        this.noEndingDate = source["noEndingDate"];
	        this.parentId = source["parentId"];
	        this.isChild = source["isChild"];
	        this.blockedReason = source["blockedReason"];
	        this.additions = source["additions"];
	    }
	}
	export class CacheSummary {
	    refreshedAt?: string;
	    counts: Counts;
	    warnings: string[];
	
	    static createFrom(source: any = {}) {
	        return new CacheSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.refreshedAt = source["refreshedAt"];
	        this.counts = this.convertValues(source["counts"], Counts);
	        this.warnings = source["warnings"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CatalogItem {
	    id: number;
	    identifier: string;
	    description: string;
	    inactive: boolean;
	    productClass: string;
	    recurring: boolean;
	    price?: number;
	    cost?: number;
	
	    static createFrom(source: any = {}) {
	        return new CatalogItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.identifier = source["identifier"];
	        this.description = source["description"];
	        this.inactive = source["inactive"];
	        this.productClass = source["productClass"];
	        this.recurring = source["recurring"];
	        this.price = source["price"];
	        this.cost = source["cost"];
	    }
	}
	export class Company {
	    id: number;
	    identifier: string;
	    name: string;
	    status: string;
	    activeAgreements: number;
	
	    static createFrom(source: any = {}) {
	        return new Company(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.identifier = source["identifier"];
	        this.name = source["name"];
	        this.status = source["status"];
	        this.activeAgreements = source["activeAgreements"];
	    }
	}
	export class ConfigInput {
	    site: string;
	    companyId: string;
	    username: string;
	    publicKey: string;
	    privateKey: string;
	    clientId: string;
	
	    static createFrom(source: any = {}) {
	        return new ConfigInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.site = source["site"];
	        this.companyId = source["companyId"];
	        this.username = source["username"];
	        this.publicKey = source["publicKey"];
	        this.privateKey = source["privateKey"];
	        this.clientId = source["clientId"];
	    }
	}
	export class ConfigView {
	    configured: boolean;
	    site: string;
	    companyId: string;
	    username: string;
	    publicKey: string;
	    clientId: string;
	    privateKeySaved: boolean;
	    defaultClientId: string;
	    keychainProblem?: string;
	
	    static createFrom(source: any = {}) {
	        return new ConfigView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.configured = source["configured"];
	        this.site = source["site"];
	        this.companyId = source["companyId"];
	        this.username = source["username"];
	        this.publicKey = source["publicKey"];
	        this.clientId = source["clientId"];
	        this.privateKeySaved = source["privateKeySaved"];
	        this.defaultClientId = source["defaultClientId"];
	        this.keychainProblem = source["keychainProblem"];
	    }
	}
	
	
	export class SaveResult {
	    config: ConfigView;
	    changed: string[];
	    cacheCleared: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.config = this.convertValues(source["config"], ConfigView);
	        this.changed = source["changed"];
	        this.cacheCleared = source["cacheCleared"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    state: string;
	    summary: string;
	    site: string;
	    companyId: string;
	    username: string;
	    companyName: string;
	    version: string;
	    connectedSince?: string;
	    failingSince?: string;
	    checkedAt?: string;
	    problem?: string;
	    problemField?: string;
	    credentialsRejected?: boolean;
	    cache: CacheSummary;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.summary = source["summary"];
	        this.site = source["site"];
	        this.companyId = source["companyId"];
	        this.username = source["username"];
	        this.companyName = source["companyName"];
	        this.version = source["version"];
	        this.connectedSince = source["connectedSince"];
	        this.failingSince = source["failingSince"];
	        this.checkedAt = source["checkedAt"];
	        this.problem = source["problem"];
	        this.problemField = source["problemField"];
	        this.credentialsRejected = source["credentialsRejected"];
	        this.cache = this.convertValues(source["cache"], CacheSummary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace mapping {
	
	export class AcceptFailure {
	    siteId: string;
	    product: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new AcceptFailure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.siteId = source["siteId"];
	        this.product = source["product"];
	        this.message = source["message"];
	    }
	}
	export class AcceptOutcome {
	    accepted: number;
	    failed: AcceptFailure[];
	
	    static createFrom(source: any = {}) {
	        return new AcceptOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.accepted = source["accepted"];
	        this.failed = this.convertValues(source["failed"], AcceptFailure);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportResult {
	    created: number;
	    updated: number;
	    unchanged: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.created = source["created"];
	        this.updated = source["updated"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class Mapping {
	    siteId: string;
	    product: string;
	    countBasis: string;
	    companyId: number;
	    agreementId: number;
	    additionId: number;
	    lessIncluded?: number;
	    minimum?: number;
	
	    static createFrom(source: any = {}) {
	        return new Mapping(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.siteId = source["siteId"];
	        this.product = source["product"];
	        this.countBasis = source["countBasis"];
	        this.companyId = source["companyId"];
	        this.agreementId = source["agreementId"];
	        this.additionId = source["additionId"];
	        this.lessIncluded = source["lessIncluded"];
	        this.minimum = source["minimum"];
	    }
	}
	export class Proposal {
	    companyId: number;
	    companyName: string;
	    agreementId: number;
	    agreementName: string;
	    additionId: number;
	    additionName: string;
	    countBasis: string;
	    score: number;
	    reason: string;
	    kind: string;
	
	    static createFrom(source: any = {}) {
	        return new Proposal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.companyId = source["companyId"];
	        this.companyName = source["companyName"];
	        this.agreementId = source["agreementId"];
	        this.agreementName = source["agreementName"];
	        this.additionId = source["additionId"];
	        this.additionName = source["additionName"];
	        this.countBasis = source["countBasis"];
	        this.score = source["score"];
	        this.reason = source["reason"];
	        this.kind = source["kind"];
	    }
	}
	export class Row {
	    siteId: string;
	    siteName: string;
	    comments: string;
	    product: string;
	    productLabel: string;
	    counts: {[key: string]: number};
	    devicesAllowed: number;
	    suspended: boolean;
	    deactivated: boolean;
	    trial: boolean;
	    new: boolean;
	    state: string;
	    mapping?: Mapping;
	    companyName: string;
	    agreementName: string;
	    additionName: string;
	    sharedCount: number;
	    problem: string;
	    suggestion?: Proposal;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.siteId = source["siteId"];
	        this.siteName = source["siteName"];
	        this.comments = source["comments"];
	        this.product = source["product"];
	        this.productLabel = source["productLabel"];
	        this.counts = source["counts"];
	        this.devicesAllowed = source["devicesAllowed"];
	        this.suspended = source["suspended"];
	        this.deactivated = source["deactivated"];
	        this.trial = source["trial"];
	        this.new = source["new"];
	        this.state = source["state"];
	        this.mapping = this.convertValues(source["mapping"], Mapping);
	        this.companyName = source["companyName"];
	        this.agreementName = source["agreementName"];
	        this.additionName = source["additionName"];
	        this.sharedCount = source["sharedCount"];
	        this.problem = source["problem"];
	        this.suggestion = this.convertValues(source["suggestion"], Proposal);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RowError {
	    line: number;
	    field: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new RowError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.field = source["field"];
	        this.message = source["message"];
	    }
	}
	export class SiteProduct {
	    siteId: string;
	    product: string;
	
	    static createFrom(source: any = {}) {
	        return new SiteProduct(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.siteId = source["siteId"];
	        this.product = source["product"];
	    }
	}

}

export namespace notify {
	
	export class Preferences {
	    syncFailed: boolean;
	    heldChanges: boolean;
	    credentialsRejected: boolean;
	    newUnmappedSites: boolean;
	    overSeatLimit: boolean;
	    staleSync: boolean;
	    staleDays: number;
	    digestEnabled: boolean;
	    digestRecipients: string;
	
	    static createFrom(source: any = {}) {
	        return new Preferences(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.syncFailed = source["syncFailed"];
	        this.heldChanges = source["heldChanges"];
	        this.credentialsRejected = source["credentialsRejected"];
	        this.newUnmappedSites = source["newUnmappedSites"];
	        this.overSeatLimit = source["overSeatLimit"];
	        this.staleSync = source["staleSync"];
	        this.staleDays = source["staleDays"];
	        this.digestEnabled = source["digestEnabled"];
	        this.digestRecipients = source["digestRecipients"];
	    }
	}

}

export namespace scheduler {
	
	export class Schedule {
	    kind: string;
	    time: string;
	    weekday: number;
	    monthDay: number;
	    enabled: boolean;
	    paused: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Schedule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.time = source["time"];
	        this.weekday = source["weekday"];
	        this.monthDay = source["monthDay"];
	        this.enabled = source["enabled"];
	        this.paused = source["paused"];
	    }
	}
	export class Status {
	    enabled: boolean;
	    paused: boolean;
	    kind: string;
	    nextRun?: string;
	    lastRunAt?: string;
	    description: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.paused = source["paused"];
	        this.kind = source["kind"];
	        this.nextRun = source["nextRun"];
	        this.lastRunAt = source["lastRunAt"];
	        this.description = source["description"];
	    }
	}

}

export namespace settings {
	
	export class Preferences {
	    theme: string;
	    idleLockMinutes: number;
	
	    static createFrom(source: any = {}) {
	        return new Preferences(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.theme = source["theme"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	    }
	}

}

export namespace store {
	
	export class AuditQuery {
	    search: string;
	    beforeId: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.beforeId = source["beforeId"];
	        this.limit = source["limit"];
	    }
	}

}

export namespace syncer {
	
	export class SiteCount {
	    siteId: string;
	    siteName: string;
	    basis: string;
	    count: number;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new SiteCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.siteId = source["siteId"];
	        this.siteName = source["siteName"];
	        this.basis = source["basis"];
	        this.count = source["count"];
	        this.note = source["note"];
	    }
	}
	export class Change {
	    id: number;
	    runId: number;
	    additionId: number;
	    agreementId: number;
	    companyId: number;
	    companyName: string;
	    agreementName: string;
	    product: string;
	    productIdentifier: string;
	    basis: string;
	    sites: SiteCount[];
	    before?: number;
	    proposed: number;
	    after: number;
	    lessIncludedBefore?: number;
	    unitPrice?: number;
	    lessIncluded?: number;
	    minimum?: number;
	    plan: string;
	    state: string;
	    reason: string;
	    message: string;
	    requestId: string;
	    adjusted: boolean;
	    decidedBy: string;
	    decidedAt?: string;
	    attemptedAt?: string;
	    finishedAt?: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.runId = source["runId"];
	        this.additionId = source["additionId"];
	        this.agreementId = source["agreementId"];
	        this.companyId = source["companyId"];
	        this.companyName = source["companyName"];
	        this.agreementName = source["agreementName"];
	        this.product = source["product"];
	        this.productIdentifier = source["productIdentifier"];
	        this.basis = source["basis"];
	        this.sites = this.convertValues(source["sites"], SiteCount);
	        this.before = source["before"];
	        this.proposed = source["proposed"];
	        this.after = source["after"];
	        this.lessIncludedBefore = source["lessIncludedBefore"];
	        this.unitPrice = source["unitPrice"];
	        this.lessIncluded = source["lessIncluded"];
	        this.minimum = source["minimum"];
	        this.plan = source["plan"];
	        this.state = source["state"];
	        this.reason = source["reason"];
	        this.message = source["message"];
	        this.requestId = source["requestId"];
	        this.adjusted = source["adjusted"];
	        this.decidedBy = source["decidedBy"];
	        this.decidedAt = source["decidedAt"];
	        this.attemptedAt = source["attemptedAt"];
	        this.finishedAt = source["finishedAt"];
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChangeQuery {
	    runId: number;
	    additionId: number;
	    search: string;
	    state: string;
	    limit: number;
	    offset: number;
	
	    static createFrom(source: any = {}) {
	        return new ChangeQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.additionId = source["additionId"];
	        this.search = source["search"];
	        this.state = source["state"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	    }
	}
	export class Counts {
	    total: number;
	    unchanged: number;
	    blocked: number;
	    errors: number;
	    held: number;
	    planned: number;
	    pending: number;
	    approved: number;
	    skipped: number;
	    applying: number;
	    applied: number;
	    failed: number;
	    interrupted: number;
	
	    static createFrom(source: any = {}) {
	        return new Counts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.unchanged = source["unchanged"];
	        this.blocked = source["blocked"];
	        this.errors = source["errors"];
	        this.held = source["held"];
	        this.planned = source["planned"];
	        this.pending = source["pending"];
	        this.approved = source["approved"];
	        this.skipped = source["skipped"];
	        this.applying = source["applying"];
	        this.applied = source["applied"];
	        this.failed = source["failed"];
	        this.interrupted = source["interrupted"];
	    }
	}
	export class Progress {
	    running: boolean;
	    runId: number;
	    trigger: string;
	    actor: string;
	    dryRun: boolean;
	    phase: string;
	    startedAt?: string;
	    agreementsTotal: number;
	    agreementsRead: number;
	    toApply: number;
	    applied: number;
	    failed: number;
	    held: number;
	    blocked: number;
	    errors: number;
	    unchanged: number;
	    requests: number;
	    throttled: number;
	    perMinute: number;
	    status?: string;
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.runId = source["runId"];
	        this.trigger = source["trigger"];
	        this.actor = source["actor"];
	        this.dryRun = source["dryRun"];
	        this.phase = source["phase"];
	        this.startedAt = source["startedAt"];
	        this.agreementsTotal = source["agreementsTotal"];
	        this.agreementsRead = source["agreementsRead"];
	        this.toApply = source["toApply"];
	        this.applied = source["applied"];
	        this.failed = source["failed"];
	        this.held = source["held"];
	        this.blocked = source["blocked"];
	        this.errors = source["errors"];
	        this.unchanged = source["unchanged"];
	        this.requests = source["requests"];
	        this.throttled = source["throttled"];
	        this.perMinute = source["perMinute"];
	        this.status = source["status"];
	        this.message = source["message"];
	    }
	}
	export class Run {
	    id: number;
	    trigger: string;
	    actor: string;
	    dryRun: boolean;
	    includeHeld: boolean;
	    autoApply: boolean;
	    status: string;
	    message: string;
	    startedAt: string;
	    plannedAt?: string;
	    finishedAt?: string;
	    reviewShare: number;
	    requestsPerMinute: number;
	    requests: number;
	    throttled: number;
	    reconciledBy?: number;
	    counts: Counts;
	
	    static createFrom(source: any = {}) {
	        return new Run(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.trigger = source["trigger"];
	        this.actor = source["actor"];
	        this.dryRun = source["dryRun"];
	        this.includeHeld = source["includeHeld"];
	        this.autoApply = source["autoApply"];
	        this.status = source["status"];
	        this.message = source["message"];
	        this.startedAt = source["startedAt"];
	        this.plannedAt = source["plannedAt"];
	        this.finishedAt = source["finishedAt"];
	        this.reviewShare = source["reviewShare"];
	        this.requestsPerMinute = source["requestsPerMinute"];
	        this.requests = source["requests"];
	        this.throttled = source["throttled"];
	        this.reconciledBy = source["reconciledBy"];
	        this.counts = this.convertValues(source["counts"], Counts);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Result {
	    run: Run;
	    changes: Change[];
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = this.convertValues(source["run"], Run);
	        this.changes = this.convertValues(source["changes"], Change);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class RunPage {
	    runs: Run[];
	    more: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RunPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runs = this.convertValues(source["runs"], Run);
	        this.more = source["more"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RunQuery {
	    search: string;
	    trigger: string;
	    status: string;
	    realOnly: boolean;
	    limit: number;
	    offset: number;
	    beforeId: number;
	
	    static createFrom(source: any = {}) {
	        return new RunQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.trigger = source["trigger"];
	        this.status = source["status"];
	        this.realOnly = source["realOnly"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.beforeId = source["beforeId"];
	    }
	}
	export class Settings {
	    autoApply: boolean;
	    reviewShare: number;
	    requestsPerMinute: number;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.autoApply = source["autoApply"];
	        this.reviewShare = source["reviewShare"];
	        this.requestsPerMinute = source["requestsPerMinute"];
	    }
	}

}

export namespace webrootconn {
	
	export class RefreshOutcome {
	    ok: boolean;
	    refreshedAt: string;
	    siteCount: number;
	    newSites: number;
	    removedSites: number;
	    warnings: string[];
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new RefreshOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.refreshedAt = source["refreshedAt"];
	        this.siteCount = source["siteCount"];
	        this.newSites = source["newSites"];
	        this.removedSites = source["removedSites"];
	        this.warnings = source["warnings"];
	        this.message = source["message"];
	    }
	}
	export class Step {
	    id: string;
	    title: string;
	    status: string;
	    message: string;
	    kind?: string;
	    requestId?: string;
	    durationMs: number;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.status = source["status"];
	        this.message = source["message"];
	        this.kind = source["kind"];
	        this.requestId = source["requestId"];
	        this.durationMs = source["durationMs"];
	    }
	}
	export class TestOutcome {
	    ok: boolean;
	    steps: Step[];
	    summary: string;
	    username: string;
	    consoleName: string;
	    siteCount: number;
	    deactivatedSites: number;
	    totalSeats: number;
	    grantedScopes: string[];
	    testedAt: string;
	    field?: string;
	
	    static createFrom(source: any = {}) {
	        return new TestOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.steps = this.convertValues(source["steps"], Step);
	        this.summary = source["summary"];
	        this.username = source["username"];
	        this.consoleName = source["consoleName"];
	        this.siteCount = source["siteCount"];
	        this.deactivatedSites = source["deactivatedSites"];
	        this.totalSeats = source["totalSeats"];
	        this.grantedScopes = source["grantedScopes"];
	        this.testedAt = source["testedAt"];
	        this.field = source["field"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Activity {
	    id: number;
	    kind: string;
	    running: boolean;
	    phase: string;
	    startedAt?: string;
	    finishedAt?: string;
	    test?: TestOutcome;
	    refresh?: RefreshOutcome;
	    error?: string;
	    errorField?: string;
	
	    static createFrom(source: any = {}) {
	        return new Activity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.running = source["running"];
	        this.phase = source["phase"];
	        this.startedAt = source["startedAt"];
	        this.finishedAt = source["finishedAt"];
	        this.test = this.convertValues(source["test"], TestOutcome);
	        this.refresh = this.convertValues(source["refresh"], RefreshOutcome);
	        this.error = source["error"];
	        this.errorField = source["errorField"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BasisInfo {
	    basis: string;
	    label: string;
	    product: string;
	    productLabel: string;
	    default: boolean;
	    read: boolean;
	    reportDate?: string;
	    fellBackToLatest?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BasisInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.basis = source["basis"];
	        this.label = source["label"];
	        this.product = source["product"];
	        this.productLabel = source["productLabel"];
	        this.default = source["default"];
	        this.read = source["read"];
	        this.reportDate = source["reportDate"];
	        this.fellBackToLatest = source["fellBackToLatest"];
	    }
	}
	export class ConfigInput {
	    site: string;
	    scope: string;
	    clientId: string;
	    clientSecret: string;
	    gsmKey: string;
	    username: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new ConfigInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.site = source["site"];
	        this.scope = source["scope"];
	        this.clientId = source["clientId"];
	        this.clientSecret = source["clientSecret"];
	        this.gsmKey = source["gsmKey"];
	        this.username = source["username"];
	        this.password = source["password"];
	    }
	}
	export class ConfigView {
	    configured: boolean;
	    site: string;
	    scope: string;
	    clientId: string;
	    gsmKey: string;
	    username: string;
	    clientSecretSaved: boolean;
	    passwordSaved: boolean;
	    defaultSite: string;
	    defaultScope: string;
	    keychainProblem?: string;
	
	    static createFrom(source: any = {}) {
	        return new ConfigView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.configured = source["configured"];
	        this.site = source["site"];
	        this.scope = source["scope"];
	        this.clientId = source["clientId"];
	        this.gsmKey = source["gsmKey"];
	        this.username = source["username"];
	        this.clientSecretSaved = source["clientSecretSaved"];
	        this.passwordSaved = source["passwordSaved"];
	        this.defaultSite = source["defaultSite"];
	        this.defaultScope = source["defaultScope"];
	        this.keychainProblem = source["keychainProblem"];
	    }
	}
	
	export class SaveResult {
	    config: ConfigView;
	    changed: string[];
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.config = this.convertValues(source["config"], ConfigView);
	        this.changed = source["changed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Site {
	    id: string;
	    name: string;
	    keyCode: string;
	    comments: string;
	    devicesAllowed: number;
	    totalEndpoints: number;
	    suspended: boolean;
	    deactivated: boolean;
	    modules: string[];
	    trials: string[];
	    firstSeenAt: string;
	    new: boolean;
	    overSeatLimit: boolean;
	    counts: {[key: string]: number};
	    missing: string[];
	    errors: {[key: string]: string};
	
	    static createFrom(source: any = {}) {
	        return new Site(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.keyCode = source["keyCode"];
	        this.comments = source["comments"];
	        this.devicesAllowed = source["devicesAllowed"];
	        this.totalEndpoints = source["totalEndpoints"];
	        this.suspended = source["suspended"];
	        this.deactivated = source["deactivated"];
	        this.modules = source["modules"];
	        this.trials = source["trials"];
	        this.firstSeenAt = source["firstSeenAt"];
	        this.new = source["new"];
	        this.overSeatLimit = source["overSeatLimit"];
	        this.counts = source["counts"];
	        this.missing = source["missing"];
	        this.errors = source["errors"];
	    }
	}
	export class SiteList {
	    refreshedAt?: string;
	    totalSeatsAllowed: number;
	    bases: BasisInfo[];
	    sites: Site[];
	    reportOnlySites: number;
	
	    static createFrom(source: any = {}) {
	        return new SiteList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.refreshedAt = source["refreshedAt"];
	        this.totalSeatsAllowed = source["totalSeatsAllowed"];
	        this.bases = this.convertValues(source["bases"], BasisInfo);
	        this.sites = this.convertValues(source["sites"], Site);
	        this.reportOnlySites = source["reportOnlySites"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    state: string;
	    summary: string;
	    username: string;
	    consoleName: string;
	    siteCount: number;
	    totalSeats: number;
	    connectedSince?: string;
	    failingSince?: string;
	    checkedAt?: string;
	    problem?: string;
	    credentialsRejected?: boolean;
	    sitesRefreshedAt?: string;
	    cachedSites: number;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.summary = source["summary"];
	        this.username = source["username"];
	        this.consoleName = source["consoleName"];
	        this.siteCount = source["siteCount"];
	        this.totalSeats = source["totalSeats"];
	        this.connectedSince = source["connectedSince"];
	        this.failingSince = source["failingSince"];
	        this.checkedAt = source["checkedAt"];
	        this.problem = source["problem"];
	        this.credentialsRejected = source["credentialsRejected"];
	        this.sitesRefreshedAt = source["sitesRefreshedAt"];
	        this.cachedSites = source["cachedSites"];
	    }
	}
	

}

