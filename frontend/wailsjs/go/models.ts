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

