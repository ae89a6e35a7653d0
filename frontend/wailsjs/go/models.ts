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

export namespace settings {
	
	export class Preferences {
	    theme: string;
	
	    static createFrom(source: any = {}) {
	        return new Preferences(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.theme = source["theme"];
	    }
	}

}

