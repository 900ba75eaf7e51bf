import { NobleSecurityModule } from "../../src/adapters/memory/index.js"
import { securityModuleContract } from "../../src/testing/index.js"

securityModuleContract("NobleSecurityModule", NobleSecurityModule.layer)
